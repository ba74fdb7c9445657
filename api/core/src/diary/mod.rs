//! The specialist's diary: appointments and contacts with clients and with others on their behalf
//! (keyworker, treatment-team meeting, Jobcentre Plus work coach, family, probation), where they
//! happened and for how long, whether the client came, and follow-ups of missed appointments. The
//! fidelity measures of time in the community, team contact, work-coach collaboration and
//! assertive engagement read it, and so does the work queue.

pub mod inputs;
pub mod model;
pub mod service;
