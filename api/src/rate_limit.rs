//! Rate limits per member of staff and per integrator, charged by query cost (the complexity
//! async-graphql computes while validating: list fields multiply their children by the page size).
//! Each caller has a bucket of points that refills evenly over a minute; a request that costs more
//! than is left is refused with `RATE_LIMITED` before it runs. Every answered request reports its
//! cost in `extensions.cost`. Buckets live in the process: with replicas, each enforces its own.

use std::collections::HashMap;
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
}

struct Bucket {
    points: f64,
    at: Instant,
}

/// The buckets of every caller, refilled at `per_minute` points a minute up to `per_minute`.
pub struct RateLimiter {
    per_minute: u64,
    buckets: Mutex<HashMap<Caller, Bucket>>,
}

/// A request's cost and what it left.
#[derive(Clone, Copy, Debug)]
struct Charge {
    cost: u64,
    remaining: u64,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` points a minute per caller (0: unlimited).
    pub fn new(per_minute: u64) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `cost` points from the caller's bucket: what is left, or the seconds until there
    /// would be enough.
    fn charge(&self, caller: Caller, cost: u64) -> Result<Charge, u64> {
        if self.per_minute == 0 {
            return Ok(Charge {
                cost,
                remaining: u64::MAX,
            });
        }
        let capacity = self.per_minute as f64;
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a panic elsewhere; do not turn it into refusals.
            return Ok(Charge { cost, remaining: 0 });
        };
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
            });
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
            if self.limiter.per_minute > 0 {
                cost.insert(
                    async_graphql::Name::new("remaining"),
                    Value::from(charge.remaining),
                );
                cost.insert(
                    async_graphql::Name::new("limitPerMinute"),
                    Value::from(self.limiter.per_minute),
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
        let limiter = RateLimiter::new(600);
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
        assert!(RateLimiter::new(0).charge(caller, 1_000_000).is_ok());
    }
}
