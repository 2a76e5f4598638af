//! [`Source`]: the fuzz input read as a stream of choices, so that a generator turns any
//! bytes into a document and a mutation of the bytes is a change of some choices. When the
//! bytes run out every choice is the first one (zero), so short inputs give small documents.

/// Choices drawn from a byte slice, front to back.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Source<'a> {
    pub fn new(data: &'a [u8]) -> Source<'a> {
        Source { data, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number in `0..n` (0 when `n` is 0), from as many bytes as `n` needs.
    pub fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        let mut value: u32 = 0;
        let mut span: u64 = 1;
        while span < u64::from(n) {
            value = (value << 8) | u32::from(self.byte());
            span <<= 8;
        }
        value % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    /// True one time in `n` (on uniform bytes); false once the bytes run out.
    pub fn one_in(&mut self, n: u32) -> bool {
        self.below(n) == n - 1
    }

    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.below(items.len() as u32) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_source_always_chooses_zero() {
        let mut s = Source::new(&[]);
        assert_eq!(s.below(1000), 0);
        assert!(!s.one_in(2));
        assert_eq!(*s.pick(&["a", "b"]), "a");
    }

    #[test]
    fn wide_ranges_use_more_bytes() {
        let mut s = Source::new(&[1, 2, 3]);
        assert_eq!(s.below(10), 1);
        assert_eq!(s.below(1000), 2 * 256 + 3);
    }
}
