//! Rate limits per member of staff, per integrator and, for anonymous requests (no
//! `Authorization` header), per client IP address, charged by query cost (the complexity
//! async-graphql computes while validating: list fields multiply their children by the page size;
//! the HTTP reports are charged what their GraphQL equivalents cost). Each caller has a bucket of
//! points that refills evenly over a minute; a request that costs more than is left is refused with
//! `RATE_LIMITED` before it runs. Every answered request reports its cost in `extensions.cost`.
//! Buckets live in the process: with replicas, each enforces its own.
//!
//! The address is the TCP peer's: behind a reverse proxy every anonymous request shares the
//! proxy's bucket. IPv6 addresses share a bucket per /64 (one host's usual allocation).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::{Response, ServerError, ValidationResult, Value};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::integrations::access::Integrator;

/// Whose bucket a request is charged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Caller {
    Staff(Uuid),
    Integrator(Uuid),
    /// An anonymous request, by the client's address (IPv6 cut to its /64).
    Anonymous(IpAddr),
}

/// The TCP peer's address of an anonymous request, put in the request data by the HTTP layer.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    fn caller(self) -> Caller {
        Caller::Anonymous(match self.0 {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mut segments = v6.segments();
                    segments[4..].fill(0);
                    IpAddr::V6(segments.into())
                }
            },
            v4 => v4,
        })
    }
}

/// Buckets kept before full ones (unused for a minute) are dropped, so that many addresses cannot
/// grow the map without bound.
const PRUNE_ABOVE: usize = 10_000;

struct Bucket {
    points: f64,
    at: Instant,
}

/// The buckets of every caller, refilled at `per_minute` points a minute up to `per_minute`
/// (`anonymous_per_minute` for anonymous callers).
pub struct RateLimiter {
    per_minute: u64,
    anonymous_per_minute: u64,
    buckets: Mutex<HashMap<Caller, Bucket>>,
}

/// A request's cost, what it left, and the caller's limit (0: none).
#[derive(Clone, Copy, Debug)]
struct Charge {
    cost: u64,
    remaining: u64,
    limit: u64,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` points a minute per signed-in caller and
    /// `anonymous_per_minute` per anonymous address (0: unlimited).
    pub fn new(per_minute: u64, anonymous_per_minute: u64) -> Self {
        Self {
            per_minute,
            anonymous_per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn limit_of(&self, caller: Caller) -> u64 {
        match caller {
            Caller::Anonymous(_) => self.anonymous_per_minute,
            Caller::Staff(_) | Caller::Integrator(_) => self.per_minute,
        }
    }

    /// Charges `cost` to a member of staff outside GraphQL (the HTTP reports): `Err` holds the
    /// seconds to wait.
    pub fn charge_staff(&self, staff_id: Uuid, cost: u64) -> Result<(), u64> {
        self.charge(Caller::Staff(staff_id), cost).map(|_| ())
    }

    /// Charges `cost` to an anonymous address outside GraphQL: `Err` holds the seconds to wait.
    pub fn charge_anonymous(&self, ip: ClientIp, cost: u64) -> Result<(), u64> {
        self.charge(ip.caller(), cost).map(|_| ())
    }

    /// Takes `cost` points from the caller's bucket: what is left, or the seconds until there
    /// would be enough.
    fn charge(&self, caller: Caller, cost: u64) -> Result<Charge, u64> {
        let limit = self.limit_of(caller);
        if limit == 0 {
            return Ok(Charge {
                cost,
                remaining: u64::MAX,
                limit,
            });
        }
        let capacity = limit as f64;
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a panic elsewhere; do not turn it into refusals.
            return Ok(Charge {
                cost,
                remaining: 0,
                limit,
            });
        };
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| now.duration_since(b.at).as_secs() < 60);
        }
        let bucket = buckets.entry(caller).or_insert(Bucket {
            points: capacity,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * capacity / 60.0;
        bucket.points = (bucket.points + refill).min(capacity);
        bucket.at = now;
        let cost_f = cost as f64;
        if cost_f > bucket.points {
            let short = cost_f.min(capacity) - bucket.points;
            return Err((short * 60.0 / capacity).ceil().max(1.0) as u64);
        }
        bucket.points -= cost_f;
        Ok(Charge {
            cost,
            remaining: bucket.points.floor() as u64,
            limit,
        })
    }
}

/// The async-graphql extension that charges each request.
pub struct RateLimit(pub Arc<RateLimiter>);

impl ExtensionFactory for RateLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RateLimitExtension {
            limiter: self.0.clone(),
            charge: Mutex::new(None),
        })
    }
}

struct RateLimitExtension {
    limiter: Arc<RateLimiter>,
    charge: Mutex<Option<Charge>>,
}

#[async_trait::async_trait]
impl Extension for RateLimitExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let caller = ctx
            .data_opt::<Viewer>()
            .map(|v| Caller::Staff(v.id()))
            .or_else(|| {
                ctx.data_opt::<Integrator>()
                    .map(|i| Caller::Integrator(i.id()))
            })
            .or_else(|| ctx.data_opt::<ClientIp>().map(|ip| ip.caller()));
        let Some(caller) = caller else {
            return Ok(result);
        };
        match self.limiter.charge(caller, result.complexity.max(1) as u64) {
            Ok(charge) => {
                if let Ok(mut slot) = self.charge.lock() {
                    *slot = Some(charge);
                }
                Ok(result)
            }
            Err(retry_after) => {
                let mut error = ServerError::new(
                    format!("rate limit reached; try again in {retry_after} s"),
                    None,
                );
                let mut extensions = async_graphql::ErrorExtensionValues::default();
                extensions.set("code", "RATE_LIMITED");
                extensions.set("retryAfterSeconds", retry_after);
                error.extensions = Some(extensions);
                Err(vec![error])
            }
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let charge = self.charge.lock().ok().and_then(|slot| *slot);
        if let Some(charge) = charge {
            let mut cost = async_graphql::indexmap::IndexMap::new();
            cost.insert(
                async_graphql::Name::new("requested"),
                Value::from(charge.cost),
            );
            if charge.limit > 0 {
                cost.insert(
                    async_graphql::Name::new("remaining"),
                    Value::from(charge.remaining),
                );
                cost.insert(
                    async_graphql::Name::new("limitPerMinute"),
                    Value::from(charge.limit),
                );
            }
            response
                .extensions
                .insert("cost".to_string(), Value::Object(cost));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refuses_past_its_points_and_says_when_to_retry() {
        let limiter = RateLimiter::new(600, 60);
        let caller = Caller::Staff(Uuid::now_v7());
        assert_eq!(limiter.charge(caller, 500).map(|c| c.remaining), Ok(100));
        // 200 more needs 100 points that come back at 10 a second.
        assert_eq!(limiter.charge(caller, 200).map(|c| c.remaining), Err(10));
        // Another caller has a bucket of its own.
        assert!(
            limiter
                .charge(Caller::Integrator(Uuid::now_v7()), 600)
                .is_ok()
        );
        assert!(RateLimiter::new(0, 0).charge(caller, 1_000_000).is_ok());
    }

    #[test]
    fn anonymous_callers_share_a_bucket_per_address_and_ipv6_per_64() {
        let limiter = RateLimiter::new(0, 10);
        let ip = |s: &str| ClientIp(s.parse().expect("address"));
        assert!(limiter.charge_anonymous(ip("192.0.2.1"), 10).is_ok());
        assert!(limiter.charge_anonymous(ip("192.0.2.1"), 1).is_err());
        assert!(limiter.charge_anonymous(ip("192.0.2.2"), 10).is_ok());
        assert!(limiter.charge_anonymous(ip("2001:db8::1"), 10).is_ok());
        assert!(limiter.charge_anonymous(ip("2001:db8::ffff:1"), 1).is_err());
        assert!(limiter.charge_anonymous(ip("2001:db8:0:1::1"), 1).is_ok());
        // Signed-in callers are not limited by the anonymous allowance.
        assert!(limiter.charge_staff(Uuid::now_v7(), 1_000).is_ok());
    }
}
