//! The semiannual evaluation (연구 성과보고서, 평가): rounds, results
//! reports, scoring, ranking, awards, top contributors and the overseas list.

pub mod model;
pub mod ranking;
pub mod service;
