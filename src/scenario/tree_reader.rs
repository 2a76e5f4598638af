//! Tests only: [`read`], a parsed JSON tree into any serde type through one concrete
//! deserializer whose errors collect their path on the way out (`managedNodeGroups[0].
//! desiredCapacity`). The page reads scenarios with `document_reader`, by hand; this is the
//! serde-derived reference its tests compare it with, message for message.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::{Number, Value};

use super::read_error::{unexpected, Error, Segment};

/// Reads `value` as a `T`; on the first error, its path (dotted fields, `[i]` indexes; empty
/// for the document itself) and serde's message.
pub fn read<T: DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    T::deserialize(Node(value)).map_err(|e| (e.path(), e.message))
}

/// One node of the tree.
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value);

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl<'de, 'a> de::Deserializer<'de> for Node<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter(),
                at: 0,
            }),
            Value::Object(map) => visitor.visit_map(Fields {
                fields: map.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => {
                let (variant, value) = map.iter().next().expect("one entry");
                visitor
                    .visit_enum(Variant { variant, value })
                    .map_err(|e| e.at(Segment::Field(variant.clone())))
            }
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"a variant name",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// A list's items; an error inside item `i` gets `[i]`.
struct Items<'a> {
    items: std::slice::Iter<'a, Value>,
    at: usize,
}

impl<'de, 'a> de::SeqAccess<'de> for Items<'a> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let at = self.at;
        self.at += 1;
        seed.deserialize(Node(item))
            .map(Some)
            .map_err(|e| e.at(Segment::Index(at)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's fields; an error in a field's name or value gets `.name`.
struct Fields<'a> {
    fields: serde_json::map::Iter<'a>,
    value: Option<(&'a String, &'a Value)>,
}

impl<'de, 'a> de::MapAccess<'de> for Fields<'a> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(key.as_str().into_deserializer())
            .map(Some)
            .map_err(|e: de::value::Error| {
                <Error as de::Error>::custom(e).at(Segment::Field(key.clone()))
            })
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("a value without its key"));
        };
        seed.deserialize(Node(value))
            .map_err(|e| e.at(Segment::Field(key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// `{"variant": value}`: an enum variant with data.
struct Variant<'a> {
    variant: &'a String,
    value: &'a Value,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = Node<'a>;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Node<'a>), Error> {
        let name = seed
            .deserialize(self.variant.as_str().into_deserializer())
            .map_err(|e: de::value::Error| <Error as de::Error>::custom(e))?;
        Ok((name, Node(self.value)))
    }
}

impl<'de, 'a> de::VariantAccess<'de> for Node<'a> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Group {
        name: String,
        desired_capacity: Option<u32>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(default)]
        mode: Mode,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    enum Mode {
        #[default]
        Single,
        Many(u8),
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Doc {
        groups: Vec<Group>,
    }

    fn error(value: Value) -> (String, String) {
        read::<Doc>(&value).unwrap_err()
    }

    #[test]
    fn a_good_tree_reads_as_serde_json_reads_it() {
        let value = json!({"groups": [
            {"name": "a", "desiredCapacity": 3, "labels": {"app": "web"}},
            {"name": "b", "desiredCapacity": null, "mode": {"Many": 4}},
            {"name": "c", "mode": "Single"},
        ]});
        let ours: Doc = read(&value).unwrap();
        let theirs: Doc = serde_json::from_value(value).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_type_error_names_its_field_and_index() {
        let (path, message) =
            error(json!({"groups": [{"name": "a"}, {"name": "b", "desiredCapacity": "three"}]}));
        assert_eq!(path, "groups[1].desiredCapacity");
        assert_eq!(message, "invalid type: string \"three\", expected u32");
    }

    #[test]
    fn an_unknown_field_is_the_path() {
        let (path, message) = error(json!({"groups": [{"name": "a", "desiredCapcity": 1}]}));
        assert_eq!(path, "groups[0].desiredCapcity");
        assert!(
            message.starts_with("unknown field `desiredCapcity`"),
            "{message}"
        );
    }

    #[test]
    fn out_of_range_floats_and_missing_fields() {
        let (path, message) = error(json!({"groups": [{"name": "a", "desiredCapacity": 1e30}]}));
        assert_eq!(path, "groups[0].desiredCapacity");
        assert!(message.contains("expected u32"), "{message}");
        let (path, message) = error(json!({"groups": [{"desiredCapacity": 1}]}));
        assert_eq!(path, "groups[0]");
        assert_eq!(message, "missing field `name`");
        let (path, message) = error(json!({"groups": [{"name": "a", "mode": {"Many": 300}}]}));
        assert_eq!(path, "groups[0].mode.Many");
        assert!(message.contains("expected u8"), "{message}");
        let (path, message) = error(json!({"groups": [{"name": "a", "labels": {"app": 1}}]}));
        assert_eq!(path, "groups[0].labels.app");
        assert!(message.contains("expected a string"), "{message}");
        let (path, _) = error(json!([]));
        assert_eq!(path, "");
    }
}
