//! Scorecards and the action order: what a report derives from its items.

use super::Run;
use crate::error::Result;
use crate::report::Status;
use crate::report::{DimensionScore, Item, Scorecard};

/// Open items with a priority, blocked first, then by priority, then in document order.
pub(super) fn rank_actions(items: &[Item]) -> Vec<String> {
    let mut open: Vec<(usize, &Item)> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.status, Status::Todo | Status::Blocked) && i.priority.is_some())
        .collect();
    open.sort_by_key(|(n, i)| (i.status != Status::Blocked, i.priority, *n));
    open.into_iter().map(|(_, i)| i.id.clone()).collect()
}

/// Rounds a 0-100 score to a whole number.
fn whole(x: f64) -> i64 {
    x.round().clamp(0.0, 100.0) as i64
}

impl Run<'_> {
    /// Each dimension's score: the weighted share of credit its checks earned.
    pub(super) fn scorecard(&mut self, items: &[Item]) -> Result<Option<Scorecard>> {
        if self.playbook.dimensions.is_empty() {
            return Ok(None);
        }
        let mut dimensions = Vec::new();
        let (mut total, mut total_weight) = (0.0, 0.0);
        for d in &self.playbook.dimensions.clone() {
            let (mut earned, mut possible, mut checks, mut passed) = (0.0, 0.0, 0, 0);
            for item in items
                .iter()
                .filter(|i| i.dimension.as_deref() == Some(&d.id))
            {
                let (Some(credit), Some(w)) = (item.credit, item.weight) else {
                    continue;
                };
                earned += w * credit;
                possible += w;
                checks += 1;
                if item.status == Status::Done {
                    passed += 1;
                }
            }
            let score = if possible > 0.0 {
                100.0 * earned / possible
            } else {
                0.0
            };
            // A dimension with no check to score yet (live data before live selling) is
            // left out of the overall score rather than counted as a 0.
            if checks > 0 {
                total += d.weight * score;
                total_weight += d.weight;
            }
            dimensions.push(DimensionScore {
                id: d.id.clone(),
                label: self.text(&d.label, &d.id)?,
                score: whole(score),
                weight: d.weight,
                share: 0,
                checks,
                passed,
            });
        }
        for d in &mut dimensions {
            d.share = if d.checks > 0 && total_weight > 0.0 {
                whole(100.0 * d.weight / total_weight)
            } else {
                0
            };
        }
        let overall = if total_weight > 0.0 {
            whole(total / total_weight)
        } else {
            0
        };
        Ok(Some(Scorecard {
            overall,
            dimensions,
        }))
    }
}
