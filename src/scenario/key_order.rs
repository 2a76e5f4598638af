//! [`KeyOrder`]: the order that sorts a map's keys, kept from one map to the next, so that a
//! document whose maps repeat the same keys in the same order (the same label names on every
//! workload) compares them once rather than once per map.

/// The keys of the last map sorted, as they came, and the order that sorts them.
#[derive(Default)]
pub struct KeyOrder<'t> {
    last: Vec<&'t str>,
    /// `order[j]`: where, among the keys as they came, the `j`-th smallest came (a repeated
    /// key's places in the order they came).
    order: Vec<usize>,
    /// Where each entry goes, worn down as the entries are moved there.
    work: Vec<usize>,
}

impl<'t> KeyOrder<'t> {
    /// Sorts `entries` by key, stably, when `keys` are their keys as they came (slices of the
    /// text); else (some key was not) just sorts them.
    pub fn sort<T>(&mut self, keys: &[&'t str], entries: &mut [(String, T)]) {
        let n = entries.len();
        if keys.len() != n {
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            return;
        }
        if self.last != keys {
            self.last.clear();
            self.last.extend_from_slice(keys);
            self.order.clear();
            self.order.extend(0..n);
            self.order.sort_by(|&a, &b| keys[a].cmp(keys[b]));
        }
        // Entry `order[j]` goes to `j`: each swap puts one entry where it goes.
        self.work.clear();
        self.work.resize(n, 0);
        for (j, &i) in self.order.iter().enumerate() {
            self.work[i] = j;
        }
        for i in 0..n {
            while self.work[i] != i {
                let to = self.work[i];
                entries.swap(i, to);
                self.work.swap(i, to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_sorted_stably_the_first_time_and_the_next() {
        let keys = ["b", "a", "c", "a", "b"];
        let mut order = KeyOrder::default();
        for _ in 0..2 {
            let mut entries: Vec<(String, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.to_string(), i))
                .collect();
            order.sort(&keys, &mut entries);
            let sorted: Vec<(&str, usize)> =
                entries.iter().map(|(k, i)| (k.as_str(), *i)).collect();
            assert_eq!(sorted, [("a", 1), ("a", 3), ("b", 0), ("b", 4), ("c", 2)]);
        }
        let mut other = vec![("z".to_string(), 0), ("y".to_string(), 1)];
        order.sort(&["z", "y"], &mut other);
        assert_eq!(other, [("y".to_string(), 1), ("z".to_string(), 0)]);
        let mut unnoted = vec![("z".to_string(), 0), ("y".to_string(), 1)];
        order.sort(&["z"], &mut unnoted);
        assert_eq!(unnoted, [("y".to_string(), 1), ("z".to_string(), 0)]);
    }
}
