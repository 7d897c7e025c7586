//! GeoRSS: where an entry is about, as a point, a line, a polygon or a box.
//!
//! GeoRSS Simple writes coordinates as text, latitude first, in WGS 84 degrees: `georss:point` ("45.256
//! -71.92"), `georss:line` (two or more pairs), `georss:polygon` (four or more pairs, the last equal to the
//! first: a closed ring), `georss:box` (the lower corner, then the upper one). Pairs may be separated by
//! commas too. GeoRSS GML puts one GML geometry in `georss:where`: `gml:Point` with `gml:pos`,
//! `gml:LineString` with `gml:posList`, `gml:Polygon` with `gml:exterior/gml:LinearRing/gml:posList`, and
//! `gml:Envelope` with `gml:lowerCorner` and `gml:upperCorner`. Only WGS 84 is read: a geometry without
//! `srsName`, or with EPSG 4326 (or 4979, its 3D form, whose heights are dropped); other reference systems
//! (UTM, say) are not degrees and are ignored. `srsDimension` says how many numbers make one position.
//! A GML geometry written straight into the entry, without `georss:where` around it, is read too.
//!
//! Anything malformed (a number that does not parse, an odd count, a coordinate out of range, an open ring)
//! yields nothing rather than a wrong place.

use newswire_model::{GeoPoint, GeoShape};

use super::xml::{Elem, Ns, XmlReader};

#[cfg(test)]
mod tests;

/// What a GeoRSS element states.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Geo {
    /// A point.
    Point(GeoPoint),
    /// A line, polygon or box.
    Shape(GeoShape),
}

/// Most positions read from one geometry: a hostile document cannot make a shape arbitrarily large.
const MAX_POSITIONS: usize = 10_000;

/// A GeoRSS Simple element's geometry: `kind` is its lower-cased local name (`point`, `line`, `polygon`,
/// `box`), `text` its content. `None` when malformed or not a geometry.
pub(super) fn simple(kind: &str, text: &str) -> Option<Geo> {
    match kind {
        // A point takes the first two numbers, as it always has: extra ones (a height) are ignored.
        "point" => {
            let mut numbers = numbers(text);
            let (lat, lon) = (numbers.next()?.ok()?, numbers.next()?.ok()?);
            point(lat, lon).map(Geo::Point)
        }
        "line" | "polygon" | "box" => shape(kind, positions(text, 2)?),
        _ => None,
    }
}

/// Reads a `georss:where` (just opened): its first GML geometry in WGS 84. Consumes the element.
pub(super) fn read_where(r: &mut XmlReader<'_>) -> Option<Geo> {
    let depth = r.depth();
    let mut found = None;
    while let Some(child) = r.next_child(depth) {
        if found.is_none() && child.ns == Ns::Gml {
            found = read_gml(r, &child);
        } else {
            r.skip();
        }
    }
    found
}

/// Reads one GML geometry element (just opened): `gml:Point`, `gml:LineString`, `gml:Polygon` or
/// `gml:Envelope`; anything else is skipped. Consumes the element.
pub(super) fn read_gml(r: &mut XmlReader<'_>, elem: &Elem<'_>) -> Option<Geo> {
    let kind = match &*elem.key() {
        "point" => "point",
        "linestring" => "line",
        "polygon" => "polygon",
        "envelope" => "box",
        _ => {
            r.skip();
            return None;
        }
    };
    if elem.attr("srsName").is_some_and(|srs| !is_wgs84(&srs)) {
        r.skip();
        return None;
    }
    let dimension = dimension(elem).unwrap_or(2);
    // The coordinates: `pos`, `posList`, or the envelope's two corners, wherever they are nested (a polygon's
    // are in `exterior/LinearRing`; its interior rings, holes, are left out).
    let mut coordinates = String::new();
    let mut list_dimension = None;
    let mut corners = [None, None];
    collect(r, &mut coordinates, &mut list_dimension, &mut corners, 0);
    let dimension = list_dimension.unwrap_or(dimension);
    if kind == "box" {
        let [Some(lower), Some(upper)] = corners else {
            return None;
        };
        let mut both = positions(&lower, dimension)?;
        both.extend(positions(&upper, dimension)?);
        return shape(kind, both);
    }
    let positions = positions(&coordinates, dimension)?;
    match kind {
        "point" => match positions[..] {
            [only] => Some(Geo::Point(only)),
            _ => None,
        },
        _ => shape(kind, positions),
    }
}

/// Gathers the coordinate text under the element just opened: `pos`/`posList` text into `coordinates` (the
/// `srsDimension` of a `posList` into `dimension`), `lowerCorner`/`upperCorner` into `corners`. Interior
/// rings are skipped. Consumes the element.
fn collect(
    r: &mut XmlReader<'_>,
    coordinates: &mut String,
    dimension: &mut Option<usize>,
    corners: &mut [Option<String>; 2],
    level: u8,
) {
    let depth = r.depth();
    while let Some(child) = r.next_child(depth) {
        if child.ns != Ns::Gml || level >= 4 {
            r.skip();
            continue;
        }
        match &*child.key() {
            "pos" | "poslist" => {
                if let Some(d) = self::dimension(&child) {
                    *dimension = Some(d);
                }
                // A line may be written as a run of `pos` elements rather than one `posList`.
                if !coordinates.is_empty() {
                    coordinates.push(' ');
                }
                coordinates.push_str(&r.text());
            }
            "lowercorner" => corners[0] = Some(r.text().into_owned()),
            "uppercorner" => corners[1] = Some(r.text().into_owned()),
            "interior" => r.skip(),
            _ => collect(r, coordinates, dimension, corners, level + 1),
        }
    }
}

/// `srsDimension`, when it is 2 or 3.
fn dimension(elem: &Elem<'_>) -> Option<usize> {
    elem.attr("srsDimension")
        .and_then(|d| d.trim().parse().ok())
        .filter(|d| matches!(d, 2 | 3))
}

/// Whether an `srsName` names WGS 84 latitude/longitude: EPSG 4326 (or 4979, the same with heights), in any
/// of its spellings (`EPSG:4326`, `urn:ogc:def:crs:EPSG:6.6:4326`, `http://www.opengis.net/gml/srs/epsg.xml#4326`).
fn is_wgs84(srs: &str) -> bool {
    let code = srs
        .trim()
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("");
    let epsg = srs.to_ascii_lowercase().contains("epsg");
    epsg && matches!(code, "4326" | "4979")
}

/// The numbers in coordinate text, separated by white space or commas.
fn numbers(text: &str) -> impl Iterator<Item = Result<f64, std::num::ParseFloatError>> + '_ {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::parse::<f64>)
}

/// The positions in coordinate text, `dimension` numbers each (latitude, longitude, then a height that is
/// dropped). `None` when a number does not parse, the count is not a multiple of `dimension`, there is no
/// position, there are too many, or one is out of range.
fn positions(text: &str, dimension: usize) -> Option<Vec<GeoPoint>> {
    let numbers = numbers(text).collect::<Result<Vec<f64>, _>>().ok()?;
    if numbers.is_empty()
        || numbers.len() % dimension != 0
        || numbers.len() / dimension > MAX_POSITIONS
    {
        return None;
    }
    numbers
        .chunks_exact(dimension)
        .map(|position| point(position[0], position[1]))
        .collect()
}

/// A line (two or more positions), a polygon (a closed ring of four or more) or a box (two corners, the
/// lower first).
fn shape(kind: &str, points: Vec<GeoPoint>) -> Option<Geo> {
    let shape = match kind {
        "line" if points.len() >= 2 => GeoShape::Line { points },
        "polygon" if points.len() >= 4 && points.first() == points.last() => {
            GeoShape::Polygon { points }
        }
        "box" if points.len() == 2 => GeoShape::Box {
            lower: points[0],
            upper: points[1],
        },
        _ => return None,
    };
    Some(Geo::Shape(shape))
}

/// A point when both coordinates are within range.
pub(super) fn point(lat: f64, lon: f64) -> Option<GeoPoint> {
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        .then_some(GeoPoint { lat, lon })
}
