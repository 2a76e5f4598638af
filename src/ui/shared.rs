//! [`Shared`]: an `Rc` compared by identity, for props that hold big immutable values.
//!
//! The [`super::workspace::Workspace`] makes a new `Rc` only when the value changed, so two
//! props holding the same `Rc` are equal without a deep comparison of, say, a 5,000-node scene.

use std::ops::Deref;
use std::rc::Rc;

#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(rc: Rc<T>) -> Shared<T> {
        Shared(rc)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<Rc<T>> for Shared<T> {
    fn from(rc: Rc<T>) -> Self {
        Shared(rc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_the_same_allocation() {
        let a = Shared::new(Rc::new(vec![1, 2]));
        let b = Shared::new(Rc::new(vec![1, 2]));
        assert!(a == a.clone());
        assert!(a != b);
        assert_eq!(a.len(), 2);
    }
}
