//! Signed session tokens: the signing secret (never a default one) and the
//! JWTs made with it, the algorithm pinned. They sit beneath `state`, which
//! holds the keys, and `auth`, whose extractors check the tokens.

pub mod jwt;
pub mod secret;
