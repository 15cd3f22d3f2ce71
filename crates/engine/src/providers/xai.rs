//! xAI: the shared Chat Completions adapter with xAI's differences as data (not built yet:
//! its connector is not offered until `Adapter::is_built` says so).

use crate::protocol::{Credential, Placement};
use crate::providers::openai_compatible::{versioned_endpoint, Profile};

pub const PROFILE: Profile = Profile {
    credential: Credential { provider: "xAI", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    endpoint: versioned_endpoint,
    max_tokens_field: "max_tokens",
};
