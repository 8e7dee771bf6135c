//! Enumerations of the domain: English `snake_case` codes in the API, with the Vietnamese legal
//! wording and an English label for `/api/v1/meta/enums`, the UI and printed forms. Declared once
//! with `code_enum!`, so a code and its labels cannot drift apart.

/// An enumeration whose codes and labels clients can list.
pub trait CodeEnum: Sized + Copy + 'static {
    /// The enumeration's name in `/api/v1/meta/enums`.
    const NAME: &'static str;
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
    /// (Tiếng Việt, English)
    fn labels(self) -> (&'static str, &'static str);
}

/// A code read back from the database. An unknown one means the data and this version of the
/// program disagree (a newer version wrote it, or a hand edit): an error the operator sees in the
/// log, never a silent default that would miscount or mislabel a record.
pub fn stored<T>(parsed: Option<T>, column: &'static str, value: &str) -> Result<T, crate::error::ApiError> {
    parsed.ok_or_else(|| {
        tracing::error!(column, value, "an unknown code is stored in the database");
        crate::error::ApiError::internal()
    })
}

/// An optional code read back from the database: absent is `None`, unknown is an error.
pub fn stored_opt<T>(
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    column: &'static str,
) -> Result<Option<T>, crate::error::ApiError> {
    value.map(|v| stored(parse(v), column, v)).transpose()
}

#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($code:literal) {
            $( $variant:ident = $s:literal : $vi:literal / $en:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        // The codes are the variants in snake_case (checked by a test): utoipa reads `rename_all`
        // but cannot see a per-variant `rename` made by a macro.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $( #[doc = $vi] $variant ),*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $s ),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $( $s => Some($name::$variant), )* _ => None }
            }
        }

        impl $crate::codes::CodeEnum for $name {
            const NAME: &'static str = $code;
            fn all() -> &'static [Self] {
                &[ $( $name::$variant ),* ]
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn labels(self) -> (&'static str, &'static str) {
                match self { $( $name::$variant => ($vi, $en) ),* }
            }
        }
    };
}
