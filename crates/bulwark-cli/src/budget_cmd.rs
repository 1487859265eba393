//! `--max-cpu-hours` / `--max-memory-gb`: the limits a run's estimated cost is checked against
//! before it starts (`bulwark_engine::Budget`), shared by `run` and `validate`.
use bulwark_engine::{Budget, Limits};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct BudgetArgs {
    /// Refuse a run estimated to need more CPU than this (hours; default 24).
    #[arg(long, value_name = "HOURS", value_parser = positive)]
    pub max_cpu_hours: Option<f64>,
    /// Refuse a run estimated to need more memory than this (GB; default 80 % of what this
    /// process may use: available memory, `ulimit -v`, the cgroup's limit).
    #[arg(long, value_name = "GB", value_parser = positive)]
    pub max_memory_gb: Option<f64>,
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("\"{s}\" is not a positive number")),
    }
}

impl BudgetArgs {
    fn limits(&self) -> Limits {
        let mut l = Limits::for_this_machine();
        if let Some(h) = self.max_cpu_hours {
            l.cpu_s = h * 3600.0;
        }
        if let Some(gb) = self.max_memory_gb {
            l.memory_bytes = gb * 1e9;
        }
        l
    }

    /// `Err` with the reason when the estimate `b` (of one run or many, [`Budget::many`]) is
    /// over the limits.
    pub fn check_estimate(&self, b: Budget) -> Result<Budget, String> {
        b.check(&self.limits()).map(|()| b)
    }
}
