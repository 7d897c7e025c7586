//! Unit tests for GeoRSS parsing.

use newswire_model::{GeoPoint, GeoShape};
use url::Url;

use super::super::xml::{Elem, Ev, XmlReader};
use super::{Geo, read_gml, read_where, simple};

fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint { lat, lon }
}

/// Reads the first element of `doc` with `read` (given the element just opened).
fn read_first(
    doc: &str,
    read: impl FnOnce(&mut XmlReader<'_>, &Elem<'_>) -> Option<Geo>,
) -> Option<Geo> {
    let base = Url::parse("https://example.com/feed").unwrap();
    let mut r = XmlReader::new(doc, base, 64);
    loop {
        match r.next() {
            Ev::Open(elem) => return read(&mut r, &elem),
            Ev::Eof => panic!("no element in {doc:?}"),
            _ => {}
        }
    }
}

fn where_of(inner: &str) -> Option<Geo> {
    let doc = format!(
        r#"<georss:where xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml">{inner}</georss:where>"#
    );
    read_first(&doc, |r, _| read_where(r))
}

#[test]
fn simple_point_takes_latitude_first() {
    assert_eq!(
        simple("point", " 45.256 -71.92 "),
        Some(Geo::Point(p(45.256, -71.92)))
    );
    assert_eq!(
        simple("point", "45.256,-71.92"),
        Some(Geo::Point(p(45.256, -71.92)))
    );
    assert_eq!(simple("point", " "), None);
    assert_eq!(simple("point", "91 0"), None);
    assert_eq!(simple("point", "north 0"), None);
}

#[test]
fn simple_line_needs_two_pairs() {
    assert_eq!(
        simple("line", "45.1 -71.1 46.2 -72.2 47 -73"),
        Some(Geo::Shape(GeoShape::Line {
            points: vec![p(45.1, -71.1), p(46.2, -72.2), p(47.0, -73.0)]
        }))
    );
    assert_eq!(simple("line", "45.1 -71.1"), None);
    assert_eq!(simple("line", "45.1 -71.1 46.2"), None, "odd count");
}

#[test]
fn simple_polygon_must_be_a_closed_ring_of_four() {
    let ring = "10 20 10 21 11 21 10 20";
    assert_eq!(
        simple("polygon", ring),
        Some(Geo::Shape(GeoShape::Polygon {
            points: vec![p(10.0, 20.0), p(10.0, 21.0), p(11.0, 21.0), p(10.0, 20.0)]
        }))
    );
    assert_eq!(simple("polygon", "10 20 10 21 11 21"), None, "three points");
    assert_eq!(
        simple("polygon", "10 20 10 21 11 21 12 22"),
        None,
        "open ring"
    );
}

#[test]
fn simple_box_is_two_corners() {
    assert_eq!(
        simple("box", "42.94 -71.11 43.04 -69.99"),
        Some(Geo::Shape(GeoShape::Box {
            lower: p(42.94, -71.11),
            upper: p(43.04, -69.99)
        }))
    );
    assert_eq!(simple("box", "42.94 -71.11"), None);
    assert_eq!(simple("box", "1 2 3 4 5 6"), None);
}

#[test]
fn gml_in_where() {
    assert_eq!(
        where_of("<gml:Point><gml:pos>12.5 -3.25</gml:pos></gml:Point>"),
        Some(Geo::Point(p(12.5, -3.25)))
    );
    assert_eq!(
        where_of("<gml:LineString><gml:posList>1 2 3 4</gml:posList></gml:LineString>"),
        Some(Geo::Shape(GeoShape::Line {
            points: vec![p(1.0, 2.0), p(3.0, 4.0)]
        }))
    );
    assert_eq!(
        where_of("<gml:LineString><gml:pos>1 2</gml:pos><gml:pos>3 4</gml:pos></gml:LineString>"),
        Some(Geo::Shape(GeoShape::Line {
            points: vec![p(1.0, 2.0), p(3.0, 4.0)]
        })),
        "a run of pos"
    );
    assert_eq!(
        where_of(
            "<gml:Envelope><gml:lowerCorner>1 2</gml:lowerCorner><gml:upperCorner>3 4</gml:upperCorner></gml:Envelope>"
        ),
        Some(Geo::Shape(GeoShape::Box {
            lower: p(1.0, 2.0),
            upper: p(3.0, 4.0)
        }))
    );
}

#[test]
fn gml_polygon_reads_the_exterior_ring_only() {
    let polygon = "<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 0 5 5 5 0 0</gml:posList></gml:LinearRing></gml:exterior>\
        <gml:interior><gml:LinearRing><gml:posList>1 1 1 2 2 2 1 1</gml:posList></gml:LinearRing></gml:interior></gml:Polygon>";
    assert_eq!(
        where_of(polygon),
        Some(Geo::Shape(GeoShape::Polygon {
            points: vec![p(0.0, 0.0), p(0.0, 5.0), p(5.0, 5.0), p(0.0, 0.0)]
        }))
    );
}

#[test]
fn gml_reference_systems() {
    // WGS 84 by any of its names is read; heights of 3D positions are dropped.
    for srs in [
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG:6.6:4326",
        "http://www.opengis.net/gml/srs/epsg.xml#4326",
    ] {
        let point =
            format!(r#"<gml:Point srsName="{srs}"><gml:pos>12.5 -3.25</gml:pos></gml:Point>"#);
        assert_eq!(where_of(&point), Some(Geo::Point(p(12.5, -3.25))), "{srs}");
    }
    assert_eq!(
        where_of(
            r#"<gml:Point srsName="urn:ogc:def:crs:EPSG::4979" srsDimension="3"><gml:pos>12.5 -3.25 40</gml:pos></gml:Point>"#
        ),
        Some(Geo::Point(p(12.5, -3.25)))
    );
    // UTM coordinates are not degrees.
    assert_eq!(
        where_of(
            r#"<gml:Point srsName="EPSG:26913"><gml:pos>450000 4500000</gml:pos></gml:Point>"#
        ),
        None
    );
}

#[test]
fn gml_malformed_yields_nothing() {
    assert_eq!(
        where_of("<gml:Point><gml:pos>12.5</gml:pos></gml:Point>"),
        None
    );
    assert_eq!(
        where_of("<gml:Point><gml:pos>1 2 3 4</gml:pos></gml:Point>"),
        None
    );
    assert_eq!(where_of("<gml:Point></gml:Point>"), None);
    assert_eq!(
        where_of("<gml:Curve><gml:posList>1 2 3 4</gml:posList></gml:Curve>"),
        None
    );
    assert_eq!(
        where_of("<gml:Envelope><gml:lowerCorner>1 2</gml:lowerCorner></gml:Envelope>"),
        None
    );
}

#[test]
fn gml_without_where() {
    let doc = r#"<gml:Point xmlns:gml="http://www.opengis.net/gml"><gml:pos>-33.9 151.2</gml:pos></gml:Point>"#;
    assert_eq!(read_first(doc, read_gml), Some(Geo::Point(p(-33.9, 151.2))));
}
