//! The organization: departments (국·소 → 과), employees, roles, its
//! policy, and the annual learning targets derived from grade and job
//! family. Its API and policy page are in `directory`, above `auth`,
//! whose extractors read the people kept here.

pub mod demo;
pub mod forms;
pub mod import;
pub mod model;
pub mod policy;
pub mod service;
pub mod targets;
