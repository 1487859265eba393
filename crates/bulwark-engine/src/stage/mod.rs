//! The stages of one time step, each in its own module, in the order [`crate::Simulation`]
//! runs them at time t:
//!
//! 1. [`motion`] — spawns of scheduled objects;
//! 2. [`engage`] — launcher readiness, reloads and the launches due;
//! 3. [`sense`] — radar looks and IFF interrogation, whose plots [`track`] hands to each
//!    unit's tracker;
//! 4. [`decide`] — each unit's command post at its decision period: identification, threat
//!    evaluation (with the outside air picture of [`picture`]), fire distribution (fire orders become launches of [`engage`]);
//! 5. [`record`] — truth rows and track samples at the record period;
//! 6. [`motion`] — guidance and motion of every live object over [t, t + dt];
//! 7. [`adjudicate`] — closest approaches inside the step, kill draws, ends of routes and
//!    flights.
//!
//! [`finish`] closes the run into its summary. The stages share the world's objects
//! ([`crate::world`]) and the units' state ([`crate::state`]) through the `Simulation`.
pub(crate) mod adjudicate;
pub(crate) mod decide;
#[cfg(test)]
mod doctrine_keys;
pub(crate) mod engage;
pub(crate) mod finish;
pub(crate) mod motion;
pub(crate) mod network;
pub(crate) mod picture;
pub(crate) mod record;
pub(crate) mod sense;
pub(crate) mod track;
