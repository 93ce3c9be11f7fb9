//! Comparing a scored report with the same playbook's report on an earlier profile.

use crate::report::Status;
use crate::report::{Comparison, DimensionChange, ItemChange, Report};

/// How far an item is from done, for telling progress from slipping: done is best,
/// a note is neutral, todo is open, blocked is worst.
fn rank(status: Option<Status>) -> i32 {
    match status {
        Some(Status::Done) => 3,
        Some(Status::Info) | None => 2,
        Some(Status::Todo) => 1,
        Some(Status::Blocked) => 0,
    }
}

/// What changed from `before` to `now`: dimension scores, and items that moved towards
/// done (improved) or away from it (slipped). Items are matched by id.
///
/// `against` names the earlier profile in the output.
pub fn compare(now: &Report, before: &Report, against: &str) -> Comparison {
    let dimensions = match (&now.scorecard, &before.scorecard) {
        (Some(a), Some(b)) => a
            .dimensions
            .iter()
            .map(|d| {
                let old = b
                    .dimensions
                    .iter()
                    .find(|x| x.id == d.id)
                    .map_or(0, |x| x.score);
                DimensionChange {
                    id: d.id.clone(),
                    label: d.label.clone(),
                    before: old,
                    after: d.score,
                    delta: d.score - old,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut improved = Vec::new();
    let mut slipped = Vec::new();
    let mut ids: Vec<&str> = now.items.iter().map(|i| i.id.as_str()).collect();
    ids.extend(
        before
            .items
            .iter()
            .map(|i| i.id.as_str())
            .filter(|id| now.item(id).is_none()),
    );
    for id in ids {
        let (a, b) = (now.item(id), before.item(id));
        let (after, was) = (a.map(|i| i.status), b.map(|i| i.status));
        // An open item that was not checked before (or one not checked now) moved
        // neither way: it is new, or no longer applies.
        let open = |s: Option<Status>| matches!(s, Some(Status::Todo | Status::Info));
        if after == was || (was.is_none() && open(after)) || (after.is_none() && open(was)) {
            continue;
        }
        let Some(title) = a.or(b).map(|i| i.title.clone()) else {
            continue;
        };
        let change = ItemChange {
            id: id.to_string(),
            title,
            before: was,
            after,
        };
        match rank(after).cmp(&rank(was)) {
            std::cmp::Ordering::Greater => improved.push(change),
            std::cmp::Ordering::Less => slipped.push(change),
            std::cmp::Ordering::Equal => {}
        }
    }
    Comparison {
        against: against.to_string(),
        verdict_before: before.verdict.clone(),
        verdict_label_before: before.verdict_label.clone(),
        overall_before: before.scorecard.as_ref().map(|c| c.overall),
        dimensions,
        improved,
        slipped,
    }
}
