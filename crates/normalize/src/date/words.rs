//! Month names, weekday names and the small words around dates, in English, French, German, Spanish,
//! Portuguese, Italian, Dutch, Russian, Polish, Turkish, Swedish, Chinese and Japanese.
//!
//! Every function takes a word already folded by the tokenizer: lowercase, Latin diacritics removed
//! (`août` → `aout`, `März` → `marz`, `październik` → `pazdziernik`), so accents are optional in the input.

/// Morning or afternoon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AmPm {
    /// Before noon.
    Am,
    /// After noon.
    Pm,
}

/// The month (1–12) a month name or abbreviation stands for.
pub(super) fn month(w: &str) -> Option<u32> {
    Some(match w {
        // English, French, German, Spanish, Portuguese, Italian, Dutch, Swedish, Polish, Turkish, Russian.
        "jan" | "january" | "janv" | "janvier" | "januar" | "janner" | "ene" | "enero"
        | "janeiro" | "gen" | "gennaio" | "januari" | "sty" | "styczen" | "stycznia" | "ocak"
        | "янв" | "январь" | "января" => 1,
        "feb" | "february" | "fev" | "fevr" | "fevrier" | "februar" | "feber" | "febrero"
        | "fevereiro" | "febbraio" | "februari" | "lut" | "luty" | "lutego" | "sub" | "subat"
        | "фев" | "февр" | "февраль" | "февраля" => 2,
        "mar" | "march" | "mars" | "marz" | "maerz" | "mrz" | "marzo" | "marco" | "maart"
        | "mrt" | "marzec" | "marca" | "mart" | "мар" | "март" | "марта" => 3,
        "apr" | "april" | "avr" | "avril" | "abr" | "abril" | "aprile" | "kwi" | "kwiecien"
        | "kwietnia" | "nis" | "nisan" | "апр" | "апрель" | "апреля" => 4,
        "may" | "mai" | "mayo" | "maio" | "mag" | "maggio" | "mei" | "maj" | "maja" | "mayis"
        | "май" | "мая" => 5,
        "jun" | "june" | "juin" | "juni" | "junio" | "junho" | "giu" | "giugno" | "cze"
        | "czerwiec" | "czerwca" | "haz" | "haziran" | "июн" | "июнь" | "июня" => 6,
        "jul" | "july" | "juil" | "juillet" | "juli" | "julio" | "julho" | "lug" | "luglio"
        | "lip" | "lipiec" | "lipca" | "tem" | "temmuz" | "июл" | "июль" | "июля" => 7,
        "aug" | "august" | "aou" | "aout" | "ago" | "agosto" | "augustus" | "augusti" | "sie"
        | "sierpien" | "sierpnia" | "agu" | "agustos" | "авг" | "август" | "августа" => {
            8
        }
        "sep" | "sept" | "september" | "septembre" | "septiembre" | "setiembre" | "set"
        | "setembro" | "settembre" | "wrz" | "wrzesien" | "wrzesnia" | "eyl" | "eylul" | "сен"
        | "сент" | "сентябрь" | "сентября" => 9,
        "oct" | "october" | "octobre" | "okt" | "oktober" | "octubre" | "out" | "outubro"
        | "ott" | "ottobre" | "paz" | "pazdziernik" | "pazdziernika" | "eki" | "ekim" | "окт"
        | "октябрь" | "октября" => 10,
        "nov" | "november" | "novembre" | "noviembre" | "novembro" | "lis" | "listopad"
        | "listopada" | "kas" | "kasim" | "ноя" | "нояб" | "ноябрь" | "ноября" => {
            11
        }
        "dec" | "december" | "decembre" | "dez" | "dezember" | "dic" | "diciembre" | "dezembro"
        | "dicembre" | "gru" | "grudzien" | "grudnia" | "ara" | "aralik" | "дек" | "декабрь"
        | "декабря" => 12,
        _ => return None,
    })
}

/// Whether the word names a day of the week (weekdays are read and ignored, even when wrong).
pub(super) fn weekday(w: &str) -> bool {
    matches!(
        w,
        // English.
        "mon" | "monday" | "tue" | "tues" | "tuesday" | "wed" | "weds" | "wednesday" | "thu" | "thur"
        | "thurs" | "thursday" | "fri" | "friday" | "sat" | "saturday" | "sun" | "sunday"
        // French.
        | "lun" | "lundi" | "mar" | "mardi" | "mer" | "mercredi" | "jeu" | "jeudi" | "ven" | "vendredi" | "sam"
        | "samedi" | "dim" | "dimanche"
        // German.
        | "mo" | "montag" | "di" | "dienstag" | "mi" | "mittwoch" | "do" | "donnerstag" | "fr" | "freitag"
        | "sa" | "samstag" | "sonnabend" | "so" | "sonntag"
        // Spanish.
        | "lunes" | "martes" | "mie" | "miercoles" | "jue" | "jueves" | "vie" | "viernes" | "sab" | "sabado"
        | "dom" | "domingo"
        // Portuguese ("segunda-feira": the "feira" is a filler).
        | "seg" | "segunda" | "ter" | "terca" | "qua" | "quarta" | "qui" | "quinta" | "sex" | "sexta"
        // Italian.
        | "lunedi" | "martedi" | "mercoledi" | "gio" | "giovedi" | "venerdi" | "domenica"
        // Dutch.
        | "ma" | "maandag" | "dinsdag" | "wo" | "woensdag" | "donderdag" | "vr" | "vrijdag" | "za"
        | "zaterdag" | "zo" | "zondag"
        // Swedish.
        | "mandag" | "tisdag" | "onsdag" | "torsdag" | "fredag" | "lordag" | "sondag"
        // Polish.
        | "poniedzialek" | "wtorek" | "sroda" | "czwartek" | "piatek" | "sobota" | "niedziela"
        // Turkish.
        | "pazartesi" | "sali" | "carsamba" | "persembe" | "cuma" | "cumartesi" | "pazar"
        // Russian.
        | "пн" | "вт" | "ср" | "чт" | "пт" | "сб" | "вс" | "понедельник" | "вторник" | "среда" | "четверг"
        | "пятница" | "суббота" | "воскресенье"
        // Chinese and Japanese.
        | "星期一" | "星期二" | "星期三" | "星期四" | "星期五" | "星期六" | "星期日" | "星期天" | "周一"
        | "周二" | "周三" | "周四" | "周五" | "周六" | "周日" | "週一" | "週二" | "週三" | "週四" | "週五"
        | "週六" | "週日" | "月曜日" | "火曜日" | "水曜日" | "木曜日" | "金曜日" | "土曜日" | "日曜日"
        | "月" | "火" | "水" | "木" | "金" | "土" | "日"
    )
}

/// Small words that sit between the parts of a date and carry nothing ("de", "of", "at", "à", "um", "года").
pub(super) fn filler(w: &str) -> bool {
    matches!(
        w,
        "de" | "del"
            | "of"
            | "the"
            | "at"
            | "a"
            | "as"
            | "las"
            | "la"
            | "da"
            | "um"
            | "om"
            | "ore"
            | "alle"
            | "le"
            | "el"
            | "em"
            | "den"
            | "der"
            | "am"
            | "kl"
            | "klockan"
            | "uhr"
            | "h"
            | "hs"
            | "hrs"
            | "feira"
            | "o"
            | "godz"
            | "dnia"
            | "roku"
            | "r"
            | "saat"
            | "uur"
            | "г"
            | "года"
            | "год"
            | "в"
            | "il"
    )
}

/// Words that introduce a date at the start of a field ("Posted", "Published on", "Mis à jour le").
pub(super) fn lead(w: &str) -> bool {
    matches!(
        w,
        "posted"
            | "published"
            | "updated"
            | "on"
            | "date"
            | "dated"
            | "last"
            | "modified"
            | "created"
            | "publie"
            | "publiee"
            | "mis"
            | "jour"
            | "veroffentlicht"
            | "aktualisiert"
            | "publicado"
            | "actualizado"
            | "atualizado"
            | "pubblicato"
            | "aggiornato"
            | "gepubliceerd"
            | "bijgewerkt"
            | "op"
            | "publicerad"
            | "uppdaterad"
            | "opublikowano"
            | "опубликовано"
            | "обновлено"
            | "发布时间"
            | "更新"
            | "for"
    )
}

/// Letters glued after a day number: "24th", "1er", "1º", "2e".
pub(super) fn ordinal_suffix(w: &str) -> bool {
    matches!(
        w,
        "st" | "nd" | "rd" | "th" | "er" | "re" | "e" | "eme" | "º" | "ª" | "o" | "a"
    )
}

/// A one-word morning/afternoon marker: "am", "PM", "a", "p", and the CJK/Korean forms that precede the time.
pub(super) fn ampm(w: &str) -> Option<AmPm> {
    Some(match w {
        "am" | "a" | "午前" | "上午" | "오전" | "manana" | "manha" => AmPm::Am,
        "pm" | "p" | "午後" | "下午" | "오후" | "tarde" | "noche" | "noite" => AmPm::Pm,
        _ => return None,
    })
}

/// The hour that "noon" or "midnight" (in any of our languages) stands for.
pub(super) fn noon_or_midnight(w: &str) -> Option<u32> {
    Some(match w {
        "noon" | "midday" | "midi" | "mittag" | "mediodia" | "meiodia" | "mezzogiorno"
        | "middag" | "полдень" | "正午" => 12,
        "midnight" | "minuit" | "mitternacht" | "medianoche" | "mezzanotte" | "middernacht"
        | "polnoc" | "midnatt" | "полночь" => 0,
        _ => return None,
    })
}

/// Days before the fetch date for "today", "yesterday" and "the day before yesterday".
pub(super) fn relative_day(w: &str) -> Option<i64> {
    Some(match w {
        "today" | "aujourd" | "heute" | "hoy" | "hoje" | "oggi" | "vandaag" | "idag"
        | "dzisiaj" | "dzis" | "bugun" | "сегодня" | "今天" | "今日" => 0,
        "yesterday" | "hier" | "gestern" | "ayer" | "ontem" | "ieri" | "gisteren" | "igar"
        | "wczoraj" | "dun" | "вчера" | "昨天" | "昨日" => 1,
        "vorgestern" | "anteayer" | "anteontem" | "eergisteren" | "przedwczoraj" | "позавчера"
        | "前天" | "一昨日" => 2,
        _ => return None,
    })
}

/// A unit of a relative time ("3 hours ago").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// The unit a word names, singular or plural, in any of our languages.
pub(super) fn unit(w: &str) -> Option<Unit> {
    Some(match w {
        "s" | "sec" | "secs" | "second" | "seconds" | "seconde" | "secondes" | "sekunde"
        | "sekunden" | "segundo" | "segundos" | "secondo" | "secondi" | "seconden" | "sekund"
        | "sekunder" | "sekundy" | "saniye" | "секунду" | "секунды" | "секунд" => {
            Unit::Second
        }
        "m" | "min" | "mins" | "minute" | "minutes" | "minuten" | "minuto" | "minutos"
        | "minuti" | "minuut" | "minut" | "minuter" | "minuty" | "dakika" | "минуту" | "минуты"
        | "минут" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" | "stunde" | "stunden"
        | "hora" | "horas" | "ora" | "ore" | "uur" | "timme" | "timmar" | "godzine" | "godziny"
        | "godzin" | "saat" | "час" | "часа" | "часов" => Unit::Hour,
        "d" | "day" | "days" | "jour" | "jours" | "tag" | "tagen" | "tage" | "dia" | "dias"
        | "giorno" | "giorni" | "dag" | "dagen" | "dagar" | "dzien" | "dni" | "gun" | "день"
        | "дня" | "дней" => Unit::Day,
        "w" | "wk" | "wks" | "week" | "weeks" | "semaine" | "semaines" | "woche" | "wochen"
        | "semana" | "semanas" | "settimana" | "settimane" | "weken" | "vecka" | "veckor"
        | "tydzien" | "tygodnie" | "tygodni" | "hafta" | "неделю" | "недели" | "недель" => {
            Unit::Week
        }
        "month" | "months" | "mois" | "monat" | "monaten" | "monate" | "mes" | "meses" | "mese"
        | "mesi" | "maand" | "maanden" | "manad" | "manader" | "miesiac" | "miesiace"
        | "miesiecy" | "ay" | "месяц" | "месяца" | "месяцев" => Unit::Month,
        "y" | "yr" | "yrs" | "year" | "years" | "an" | "ans" | "annee" | "annees" | "jahr"
        | "jahre" | "jahren" | "ano" | "anos" | "anno" | "anni" | "jaar" | "jaren" | "ar"
        | "rok" | "lata" | "lat" | "yil" | "год" | "года" | "лет" => Unit::Year,
        _ => return None,
    })
}

/// "a", "an", "one" and their cousins: a count of one in "an hour ago", "il y a une heure", "vor einer Stunde".
pub(super) fn one(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "one"
            | "un"
            | "une"
            | "ein"
            | "eine"
            | "einer"
            | "einem"
            | "einen"
            | "una"
            | "uno"
            | "um"
            | "uma"
            | "een"
            | "bir"
            | "en"
            | "ett"
    )
}

/// A word that follows the count and unit to make them "ago".
pub(super) fn ago_after(w: &str) -> bool {
    matches!(
        w,
        "ago" | "back" | "fa" | "geleden" | "sedan" | "temu" | "once" | "назад"
    )
}

/// A word that precedes the count and unit to make them "ago" ("vor", "hace", "há"; French "il y a" is
/// matched as "il", "y", "a").
pub(super) fn ago_before(w: &str) -> bool {
    matches!(w, "vor" | "hace" | "ha")
}

/// Whether a phrase may start at this word when searching running text.
pub(super) fn can_start(w: &str) -> bool {
    month(w).is_some()
        || weekday(w)
        || relative_day(w).is_some()
        || one(w)
        || ago_before(w)
        || w == "il"
        || ampm(w).is_some()
}
