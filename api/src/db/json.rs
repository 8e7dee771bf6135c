//! Values read back from a JSON document that the database built (`json_object` on SQLite,
//! `json_build_object` on PostgreSQL), where the two backends write the same column differently:
//! SQLite has no boolean type (a flag comes back as 0 or 1) and keeps a timestamp as the text
//! diesel wrote (`2026-11-30 09:30:00.123`), where PostgreSQL writes `true` and
//! `2026-11-30T09:30:00.123`. One statement can then bring back rows of several tables at once.

use chrono::NaiveDateTime;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// The name of the function that builds a JSON object from key, value, key, value, …
pub fn object_function(backend: super::Backend) -> &'static str {
    match backend {
        super::Backend::Sqlite => "json_object",
        super::Backend::Postgres => "json_build_object",
    }
}

/// A flag: `true`/`false`, or SQLite's `1`/`0`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;
    impl Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean, or 0 or 1")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            self.visit_u64(u64::try_from(v).map_err(|_| E::custom("a flag below 0"))?)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            match v {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err(E::custom(format!("a flag of {v}"))),
            }
        }
    }
    d.deserialize_any(Flag)
}

/// A timestamp with a `T` or a space between the day and the time.
pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    text.replacen(' ', "T", 1).parse().map_err(|e| de::Error::custom(format!("the timestamp «{text}»: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Row {
        #[serde(deserialize_with = "flag")]
        on: bool,
        #[serde(deserialize_with = "timestamp")]
        at: NaiveDateTime,
    }

    #[test]
    fn both_backends_spellings_read_the_same() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_micro_opt(9, 30, 0, 123_000).unwrap();
        let sqlite: Row = serde_json::from_str(r#"{"on": 1, "at": "2026-11-30 09:30:00.123"}"#).unwrap();
        let pg: Row = serde_json::from_str(r#"{"on": true, "at": "2026-11-30T09:30:00.123"}"#).unwrap();
        assert_eq!(sqlite, Row { on: true, at });
        assert_eq!(pg, sqlite);
        let off: Row = serde_json::from_str(r#"{"on": 0, "at": "2026-11-30 09:30:00"}"#).unwrap();
        assert!(!off.on);
        assert!(serde_json::from_str::<Row>(r#"{"on": 2, "at": "2026-11-30 09:30:00"}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"on": 1, "at": "30/11/2026"}"#).is_err());
    }
}
