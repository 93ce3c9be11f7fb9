use super::{Format, Rendered, Renderer};
use crate::error::{Error, Result};
use crate::report::Report;

/// The report as JSON, pretty-printed for files or one line per report for pipes.
pub struct JsonRenderer {
    pub pretty: bool,
}

impl Renderer for JsonRenderer {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, report: &Report) -> Result<Rendered> {
        let mut bytes = if self.pretty {
            serde_json::to_vec_pretty(report)
        } else {
            serde_json::to_vec(report)
        }
        .map_err(|e| Error::Usage(format!("cannot encode the report as JSON: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes.into())
    }
}
