//! Enums stored as text: a stable code in the database and the API, a
//! Korean label on the pages.

/// `text_enum! { pub enum Kind { Regular = ("regular", "정기"), … } }`.
/// Codes must be the snake_case of the variant names (serde uses those).
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn label_ko(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            /// By code or Korean label.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.label_ko() == s)
            }

            /// Codes and labels, for select boxes.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.code(), v.label_ko())).collect()
            }
        }
    };
}
