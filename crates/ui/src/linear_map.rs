//! Maps and sets kept as plain lists, for the few entries a widget or page holds (policies in a backup dialog,
//! pages of a table, mounted elements). `HashMap` compiles its table and SipHash code for each key and value
//! type, several KB of wasm each; a lookup here is a scan, which costs nothing at these sizes (a table of
//! 10,000 VMs has 200 pages).
//!
//! ```
//! use vmbackup_ui::linear_map::{LinearMap, LinearSet};
//! let mut map = LinearMap::new();
//! assert_eq!(map.insert("a", 1), None);
//! assert_eq!(map.insert("a", 2), Some(1));
//! assert_eq!(map.get("a"), Some(&2));
//! let mut set = LinearSet::new();
//! assert!(set.insert(3) && !set.insert(3) && set.contains(&3));
//! ```

use std::borrow::Borrow;

/// A map of few entries, in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for LinearMap<K, V> {
    fn default() -> Self {
        LinearMap { entries: Vec::new() }
    }
}

impl<K: PartialEq, V> LinearMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn position<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.entries.iter().position(|(k, _)| k.borrow() == key)
    }

    /// The value at `key`.
    pub fn get<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: PartialEq + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.position(key).is_some()
    }

    /// Sets the value at `key`, returning the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// The value at `key`, made by `make` if there is none yet.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.entries.push((key, make()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    /// Takes out the value at `key`.
    pub fn remove<Q: PartialEq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|i| self.entries.remove(i).1)
    }

    /// The values, in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// A set of few items, in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearSet<T> {
    items: Vec<T>,
}

impl<T> Default for LinearSet<T> {
    fn default() -> Self {
        LinearSet { items: Vec::new() }
    }
}

impl<T: PartialEq> LinearSet<T> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`; false when it was there already.
    pub fn insert(&mut self, item: T) -> bool {
        if self.items.contains(&item) {
            return false;
        }
        self.items.push(item);
        true
    }

    /// Whether `item` is in the set.
    pub fn contains<Q: PartialEq + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.items.iter().any(|i| i.borrow() == item)
    }

    /// Takes `item` out; false when it was not there.
    pub fn remove<Q: PartialEq + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        let before = self.items.len();
        self.items.retain(|i| i.borrow() != item);
        self.items.len() != before
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T: PartialEq> Extend<T> for LinearSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.insert(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_replaces_and_removes_by_key() {
        let mut map: LinearMap<String, u32> = LinearMap::new();
        map.insert("a".into(), 1);
        map.insert("b".into(), 2);
        assert_eq!(map.insert("a".into(), 3), Some(1));
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [3, 2]);
        assert_eq!(*map.get_or_insert_with("c".into(), || 4), 4);
        assert_eq!(*map.get_or_insert_with("c".into(), || 5), 4);
        assert_eq!(map.remove("a"), Some(3));
        assert!(!map.contains_key("a") && map.contains_key("b"));
    }

    #[test]
    fn a_set_holds_each_item_once() {
        let mut set: LinearSet<String> = LinearSet::new();
        set.extend(["x".to_string(), "y".to_string(), "x".to_string()]);
        assert!(set.contains("x") && set.contains("y") && !set.is_empty());
        assert!(set.remove("x") && !set.remove("x"));
        assert!(!set.contains("x"));
    }
}
