//! Deterministic random streams.
//!
//! Every random draw in a run comes from a `ChaCha8Rng` stream keyed by
//! (seed, replication, entity, purpose). A stream depends on nothing else — not on the
//! order entities are created, not on threads — so adding a radar does not change the
//! draws of another, and a campaign gives identical results on 1 or N threads.
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// What a stream is used for, so two uses by one entity never share draws.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum StreamPurpose {
    Detection = 1,
    MeasurementNoise = 2,
    FalseAlarm = 3,
    Iff = 4,
    Seeker = 5,
    KillDraw = 6,
    Dispersion = 7,
    Scenario = 8,
    /// The measured power of each look drawn for `exposure.csv`, apart from the detection stream
    /// so that recording exposure changes no other draw.
    Exposure = 9,
    /// Message loss on command-post data links (its own stream: adding a link perturbs no other).
    DataLink = 10,
}

/// The stream factory of one run.
#[derive(Copy, Clone, Debug)]
pub struct RngStreams {
    seed: u64,
    replication: u32,
}

impl RngStreams {
    pub fn new(seed: u64, replication: u32) -> Self {
        Self { seed, replication }
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// The stream for `entity` (any stable 64-bit key: an entity, sensor or launcher id)
    /// and `purpose`. The 256-bit ChaCha key is expanded from (seed, replication) with
    /// SplitMix64; (entity, purpose) selects one of ChaCha's 2⁶⁴ independent streams.
    pub fn stream(&self, entity: u64, purpose: StreamPurpose) -> RngStream {
        let mut state = self.seed ^ (u64::from(self.replication)).rotate_left(32);
        let mut key = [0u8; 32];
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        let mut s = entity.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (purpose as u64);
        rng.set_stream(splitmix64(&mut s));
        RngStream { rng, spare_normal: None }
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    // SplitMix64 (Steele, Lea, Flood 2014), the standard seed expander.
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One random stream with the few distributions the models need, implemented here so
/// results do not change when an outside distribution crate changes its algorithm.
#[derive(Clone, Debug)]
pub struct RngStream {
    rng: ChaCha8Rng,
    spare_normal: Option<f64>,
}

impl RngStream {
    /// Uniform on [0, 1), 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform on [lo, hi).
    pub fn uniform_range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
    /// True with probability `p` (clamped to [0, 1]).
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p.clamp(0.0, 1.0)
    }
    /// Standard normal by the Marsaglia polar method.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let m = (-2.0 * s.ln() / s).sqrt();
                self.spare_normal = Some(v * m);
                return u * m;
            }
        }
    }
    /// Normal with mean `mu` and standard deviation `sigma`.
    pub fn gaussian(&mut self, mu: f64, sigma: f64) -> f64 {
        mu + sigma * self.normal()
    }
    /// Poisson count with mean `lambda` (Knuth's product method below 30, normal
    /// approximation with continuity correction above; false-alarm counts are small).
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda.is_nan() || lambda <= 0.0 || !lambda.is_finite() {
            return 0;
        }
        if lambda < 30.0 {
            let l = (-lambda).exp();
            let mut k = 0u64;
            let mut p = 1.0;
            loop {
                p *= self.uniform();
                if p <= l {
                    return k;
                }
                k += 1;
            }
        }
        let x = self.gaussian(lambda, lambda.sqrt()).round();
        if x < 0.0 { 0 } else { x as u64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let s = RngStreams::new(42, 0);
        let a: Vec<f64> = (0..5).map(|_| s.stream(7, StreamPurpose::Detection).uniform()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]), "same key, same first draw");
        let mut x = s.stream(7, StreamPurpose::Detection);
        let mut y = s.stream(8, StreamPurpose::Detection);
        let mut z = s.stream(7, StreamPurpose::MeasurementNoise);
        let mut w = RngStreams::new(43, 0).stream(7, StreamPurpose::Detection);
        let mut r = RngStreams::new(42, 1).stream(7, StreamPurpose::Detection);
        let v0 = x.uniform();
        for o in [&mut y, &mut z, &mut w, &mut r] {
            assert_ne!(v0, o.uniform());
        }
    }

    #[test]
    fn moments_match_the_distributions() {
        // Sample mean and variance within ~5 standard errors of the exact values.
        let mut s = RngStreams::new(1, 0).stream(1, StreamPurpose::Scenario);
        let n = 200_000;
        let (mut m, mut m2) = (0.0, 0.0);
        for _ in 0..n {
            let z = s.normal();
            m += z;
            m2 += z * z;
        }
        m /= n as f64;
        let var = m2 / n as f64 - m * m;
        assert!(m.abs() < 5.0 / (n as f64).sqrt(), "normal mean {m}");
        assert!((var - 1.0).abs() < 5.0 * (2.0 / n as f64).sqrt(), "normal variance {var}");
        for lambda in [0.5, 4.0, 60.0] {
            let mut sum = 0.0;
            let mut sum2 = 0.0;
            for _ in 0..n {
                let k = s.poisson(lambda) as f64;
                sum += k;
                sum2 += k * k;
            }
            let mean = sum / n as f64;
            let var = sum2 / n as f64 - mean * mean;
            let se = (lambda / n as f64).sqrt();
            assert!((mean - lambda).abs() < 5.0 * se, "poisson({lambda}) mean {mean}");
            assert!((var / lambda - 1.0).abs() < 0.03, "poisson({lambda}) var {var}");
        }
    }
}
