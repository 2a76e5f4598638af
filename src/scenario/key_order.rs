//! [`KeyOrder`]: the order that sorts a small map's keys, kept from one map to the next, so
//! that a document whose maps repeat the same keys in the same order (the same label names on
//! every workload) compares them once rather than once per map.

/// The keys of the last map arranged, as they came, and the order that sorts them.
#[derive(Default)]
pub struct KeyOrder<'t> {
    last: Vec<&'t str>,
    /// `order[j]`: where, among the keys as they came, the `j`-th smallest came (a repeated
    /// key's places in the order they came).
    order: Vec<usize>,
    /// Where each entry goes, worn down as the entries are moved there.
    work: Vec<usize>,
}

/// Maps with more entries are left to `BTreeMap`'s own sort: the sort here compares each key
/// with every other.
const SMALL: usize = 32;

impl<'t> KeyOrder<'t> {
    /// Puts `entries` in key order, a repeated key's entries in the order they came, when
    /// `keys` are their keys as they came (slices of the text) and they are few; else leaves
    /// them as they are.
    pub fn arrange<T>(&mut self, keys: &[&'t str], entries: &mut [(String, T)]) {
        let n = entries.len();
        if keys.len() != n || n > SMALL {
            return;
        }
        if self.last != keys {
            self.last.clear();
            self.last.extend_from_slice(keys);
            self.order.clear();
            self.order.extend(0..n);
            for i in 1..n {
                let mut j = i;
                while j > 0 && keys[self.order[j - 1]] > keys[self.order[j]] {
                    self.order.swap(j - 1, j);
                    j -= 1;
                }
            }
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

    fn entries(keys: &[&str]) -> Vec<(String, usize)> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i))
            .collect()
    }

    #[test]
    fn entries_are_sorted_stably_the_first_time_and_the_next() {
        let keys = ["b", "a", "c", "a", "b"];
        let mut order = KeyOrder::default();
        for _ in 0..2 {
            let mut arranged = entries(&keys);
            order.arrange(&keys, &mut arranged);
            let mut sorted = entries(&keys);
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(arranged, sorted);
        }
        let mut other = entries(&["z", "y"]);
        order.arrange(&["z", "y"], &mut other);
        assert_eq!(other, [("y".to_string(), 1), ("z".to_string(), 0)]);
        // Keys not all noted, or too many: left as they are.
        let mut unnoted = entries(&["z", "y"]);
        order.arrange(&["z"], &mut unnoted);
        assert_eq!(unnoted, entries(&["z", "y"]));
        let many: Vec<String> = (0..=SMALL).rev().map(|i| format!("{i:02}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut left = entries(&many);
        order.arrange(&many, &mut left);
        assert_eq!(left, entries(&many));
    }
}
