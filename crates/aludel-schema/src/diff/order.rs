//! Dependency order: what another thing needs comes first; cycles are broken
//! deterministically (the smallest remaining key goes first).

use std::collections::BTreeSet;

/// `items` ordered so that each comes after those of its `deps` that are also
/// in `items` (dependencies outside the set are ignored). Among the items
/// ready at a step the smallest goes first; when none is ready (a cycle), the
/// smallest remaining one does.
pub(crate) fn dependency_order<K, F>(items: impl IntoIterator<Item = K>, deps: F) -> Vec<K>
where
    K: Ord + Clone,
    F: Fn(&K) -> Vec<K>,
{
    let mut remaining: BTreeSet<K> = items.into_iter().collect();
    let mut out = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .find(|k| deps(k).iter().all(|d| d == *k || !remaining.contains(d)))
            .or_else(|| remaining.iter().next())
            .cloned();
        let Some(next) = ready else { break };
        remaining.remove(&next);
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::dependency_order;

    #[test]
    fn dependencies_first_ties_by_key_cycles_broken_by_smallest() {
        let deps = |k: &&str| -> Vec<&str> {
            match *k {
                "a" => vec!["c"],
                "c" => vec!["d", "outside"],
                "x" => vec!["y"],
                "y" => vec!["x"],
                _ => vec![],
            }
        };
        let order = dependency_order(["a", "b", "c", "d", "x", "y"], deps);
        assert_eq!(order, ["b", "d", "c", "a", "x", "y"]);
    }

    #[test]
    fn self_reference_is_not_a_cycle() {
        let order = dependency_order(["b", "a"], |k: &&str| vec![*k]);
        assert_eq!(order, ["a", "b"]);
    }
}
