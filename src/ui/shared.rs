//! [`Shared`]: an `Rc` compared by identity, for props that hold big immutable values.
//!
//! The [`crate::ui::workspace::Workspace`] makes a new `Rc` only when the value changed, so two
//! props holding the same `Rc` are equal without a deep comparison of, say, a 5,000-node scene.
//! [`use_memo_same`] does the same for values derived in a component: a list of names that
//! survives a toggle keeps its `Rc`, and the component drawing it does not render again.

use std::ops::Deref;
use std::rc::Rc;

use yew::prelude::*;

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

/// A big value as a prop compared by the part of it a component draws: equal when it is the
/// same `Rc`, or when `same` finds that part equal. Given the draft this way, a section of the
/// editor does not render again after an edit elsewhere (a toggle of a Service leaves the VPC
/// CNI settings and the other lists as they were). The component must read no more of the
/// value than `same` compares: while they compare equal it keeps the value it was given.
pub struct Part<T> {
    rc: Rc<T>,
    same: fn(&T, &T) -> bool,
}

impl<T> Part<T> {
    pub fn new(rc: &Rc<T>, same: fn(&T, &T) -> bool) -> Part<T> {
        Part {
            rc: rc.clone(),
            same,
        }
    }

    /// The whole value's `Rc`, to give a part of it to a child.
    pub fn rc(&self) -> &Rc<T> {
        &self.rc
    }
}

impl<T> Clone for Part<T> {
    fn clone(&self) -> Self {
        Part {
            rc: self.rc.clone(),
            same: self.same,
        }
    }
}

impl<T> PartialEq for Part<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rc, &other.rc) || (self.same)(&self.rc, &other.rc)
    }
}

impl<T> Deref for Part<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.rc
    }
}

/// The last value derived from some inputs ([`use_memo_same`]'s state, apart from Yew).
#[derive(Debug)]
pub struct Memo<D, T> {
    last: Option<(D, Rc<T>)>,
}

impl<D, T> Default for Memo<D, T> {
    fn default() -> Self {
        Memo { last: None }
    }
}

impl<D: PartialEq, T: PartialEq> Memo<D, T> {
    /// The value for `deps`: the last `Rc` when `deps` are equal to the last ones; else
    /// `derive(&deps)`, still in the last `Rc` when it is equal to the last value.
    pub fn get(&mut self, deps: D, derive: impl FnOnce(&D) -> T) -> Rc<T> {
        if let Some((d, v)) = &self.last {
            if *d == deps {
                return v.clone();
            }
        }
        let value = derive(&deps);
        let rc = match self.last.take() {
            Some((_, old)) if *old == value => old,
            _ => Rc::new(value),
        };
        self.last = Some((deps, rc.clone()));
        rc
    }
}

/// Like `use_memo`, but when the inputs change and the derived value does not, the previous
/// `Rc` is kept: a [`Shared`] of it stays equal, so a component given it skips its render.
#[hook]
pub fn use_memo_same<D, T, F>(deps: D, derive: F) -> Rc<T>
where
    D: PartialEq + 'static,
    T: PartialEq + 'static,
    F: FnOnce(&D) -> T,
{
    let memo = use_mut_ref(Memo::default);
    let value = memo.borrow_mut().get(deps, derive);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_its_rc_while_the_value_is_the_same() {
        let mut memo = Memo::default();
        let mut calls = 0;
        let mut len = |v: &Vec<u32>| {
            calls += 1;
            v.len()
        };
        let a = memo.get(vec![1, 2], &mut len);
        // The same inputs: not derived again.
        let b = memo.get(vec![1, 2], &mut len);
        assert!(Rc::ptr_eq(&a, &b));
        // Other inputs, the same value: derived again, the same Rc.
        let c = memo.get(vec![3, 4], &mut len);
        assert!(Rc::ptr_eq(&a, &c));
        // Another value: a new Rc.
        let d = memo.get(vec![5], &mut len);
        assert!(!Rc::ptr_eq(&a, &d));
        assert_eq!(*d, 1);
        assert_eq!(calls, 3);
    }

    #[test]
    fn a_part_is_equal_when_its_part_is() {
        let first = |a: &Vec<u32>, b: &Vec<u32>| a.first() == b.first();
        let a = Part::new(&Rc::new(vec![1, 2]), first);
        assert!(a == a.clone());
        assert!(a == Part::new(&Rc::new(vec![1, 3]), first));
        assert!(a != Part::new(&Rc::new(vec![2, 2]), first));
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn equal_only_when_the_same_allocation() {
        let a = Shared::new(Rc::new(vec![1, 2]));
        let b = Shared::new(Rc::new(vec![1, 2]));
        assert!(a == a.clone());
        assert!(a != b);
        assert_eq!(a.len(), 2);
    }
}
