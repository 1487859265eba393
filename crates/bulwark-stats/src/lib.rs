//! Interval estimation for Monte Carlo campaigns: pure functions of the replication outcomes,
//! no simulation types.
//!
//! - Means: [`mean_t`] (Student t), [`bootstrap_mean`] (BCa) and [`bootstrap_mean_percentile`],
//!   deterministic from a seed.
//! - Proportions: [`wilson`], [`clopper_pearson`] (exact, two-sided), the one-sided exact
//!   bounds [`clopper_pearson_upper`] / [`clopper_pearson_lower`], [`jeffreys`], and
//!   [`proportion`], the campaign default (Wilson, or the one-sided exact bound when no run or
//!   every run had the event — never a bare 0 % or 100 %).
//! - Comparisons under common random numbers: [`paired_difference`] (paired t on a_i − b_i).
//! - [`special`]: the normal, Student t and Beta quantiles they rest on.
//!
//! Every function returns `None` for input it cannot answer (level outside (0, 1), n = 0,
//! k > n, a NaN or infinite sample, mismatched pairs) and never panics. Choice of methods:
//! Brown, Cai & DasGupta, "Interval estimation for a binomial proportion", *Statistical
//! Science* 16(2):101–133 (2001); every [`Interval`] carries its method, level, n and Monte
//! Carlo standard error, as Morris, White & Crowther, *Stat. Med.* 38:2074 (2019) ask.
//! Validated against SciPy and statsmodels in `tests/oracle.rs`
//! (`tools/oracles/stats_oracle.py`).
//!
//! ```
//! use bulwark_stats::{Method, mean_t, paired_difference, proportion};
//!
//! // 0 civil engagements in 200 runs: a one-sided 95 % bound, not "0 %".
//! let p = proportion(0, 200, 0.95).unwrap();
//! assert_eq!((p.method, p.low), (Method::ClopperPearsonUpper, 0.0));
//! assert!((p.high - 0.0148).abs() < 1e-4);
//!
//! // Leakers per run, and the same seeds against another system.
//! let a = [3.0, 5.0, 4.0, 6.0, 2.0];
//! let b = [1.0, 4.0, 2.0, 5.0, 1.0];
//! let m = mean_t(&a, 0.95).unwrap();
//! assert!(m.low < 4.0 && 4.0 < m.high);
//! let d = paired_difference(&a, &b, 0.95).unwrap();
//! assert!(d.low > 0.0); // paired: clearly more leakers with a
//! ```
#![forbid(unsafe_code)]

mod bootstrap;
mod mean;
mod proportion;
pub mod special;

pub use bootstrap::{bootstrap_bca_from, bootstrap_mean, bootstrap_mean_percentile, bootstrap_percentile_from};
pub use mean::{mean_t, paired_difference};
pub use proportion::{clopper_pearson, clopper_pearson_lower, clopper_pearson_upper, jeffreys, proportion, wilson};

use std::fmt;
use std::str::FromStr;

/// How an [`Interval`] was computed. [`Method::name`] is the stable spelling written to files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Student t on the mean: x̄ ± t₁₋α/₂,ₙ₋₁ · s/√n.
    StudentT,
    /// Bootstrap percentile interval of the mean.
    BootstrapPercentile,
    /// Bootstrap bias-corrected and accelerated (BCa) interval of the mean.
    BootstrapBca,
    /// Wilson score interval of a proportion.
    Wilson,
    /// Clopper–Pearson exact two-sided interval of a proportion.
    ClopperPearson,
    /// One-sided exact upper bound [0, U] (the zero-event case).
    ClopperPearsonUpper,
    /// One-sided exact lower bound [L, 1] (the every-run case).
    ClopperPearsonLower,
    /// Jeffreys equal-tailed interval (Beta(k + ½, n − k + ½) quantiles).
    Jeffreys,
    /// Paired t on per-replication differences (common random numbers).
    PairedT,
}

impl Method {
    /// Every method, in declaration order.
    pub const ALL: [Method; 9] = [
        Method::StudentT,
        Method::BootstrapPercentile,
        Method::BootstrapBca,
        Method::Wilson,
        Method::ClopperPearson,
        Method::ClopperPearsonUpper,
        Method::ClopperPearsonLower,
        Method::Jeffreys,
        Method::PairedT,
    ];

    /// The stable snake_case name used in output files (`student_t`, `wilson`, …).
    pub fn name(self) -> &'static str {
        match self {
            Method::StudentT => "student_t",
            Method::BootstrapPercentile => "bootstrap_percentile",
            Method::BootstrapBca => "bootstrap_bca",
            Method::Wilson => "wilson",
            Method::ClopperPearson => "clopper_pearson",
            Method::ClopperPearsonUpper => "clopper_pearson_upper",
            Method::ClopperPearsonLower => "clopper_pearson_lower",
            Method::Jeffreys => "jeffreys",
            Method::PairedT => "paired_t",
        }
    }

    /// True for the one-sided bounds (the interval's other end is 0 or 1 by construction).
    pub fn is_one_sided(self) -> bool {
        matches!(self, Method::ClopperPearsonUpper | Method::ClopperPearsonLower)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Method::name`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        write!(f, "unknown interval method `{}` (expected one of: {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| UnknownMethod(s.to_string()))
    }
}

/// An interval estimate: `low ≤ estimate ≤ high`, all finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Point estimate: the sample mean, k/n, or the mean paired difference.
    pub estimate: f64,
    /// Lower end (0 for [`Method::ClopperPearsonUpper`]).
    pub low: f64,
    /// Upper end (1 for [`Method::ClopperPearsonLower`]).
    pub high: f64,
    /// Confidence level in (0, 1), e.g. 0.95. For one-sided methods it is the level of the one
    /// bound.
    pub level: f64,
    pub method: Method,
    /// Number of replications (or pairs, or trials).
    pub n: u64,
    /// Monte Carlo standard error of `estimate`: s/√n for means and differences, √(p̂(1−p̂)/n)
    /// for proportions (0 when k = 0 or k = n), the standard deviation of the bootstrap
    /// distribution for bootstrap intervals.
    pub std_error: f64,
}

impl Interval {
    /// (high − low) / 2.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.high - self.low)
    }

    /// True when `x` lies in [low, high].
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A confidence level strictly inside (0, 1).
fn valid_level(level: f64) -> bool {
    level > 0.0 && level < 1.0
}
