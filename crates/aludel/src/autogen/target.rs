//! The desired schema a project's `aludel.toml` names: the `target_schema`
//! files, or what `target_schema_command` prints.

use crate::config::Config;
use crate::error::Error;

use super::desired::{self, SchemaSource};

/// Reads the `target_schema` files (in order), or runs
/// `target_schema_command` in the configuration file's folder (and waits for
/// it); neither set is [`Error::NoTargetSchema`].
pub fn config_sources(config: &Config) -> Result<Vec<SchemaSource>, Error> {
    if let Some(argv) = &config.target_schema_command {
        return Ok(vec![desired::run_schema_command(argv, config.base_dir())?]);
    }
    if config.target_schema.is_empty() {
        return Err(Error::NoTargetSchema);
    }
    config
        .target_schema
        .iter()
        .map(|path| SchemaSource::read_file(path))
        .collect()
}
