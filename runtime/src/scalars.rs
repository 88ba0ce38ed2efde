//! Rust types for PostgreSQL scalars that `postgres-types` does not map:
//! `money`, `macaddr`, `macaddr8`, `point`, `bit` and `bit varying`, `xml`.
//! Each reads and writes the type's binary format, so values round-trip
//! exactly.

use std::error::Error as StdError;
use std::fmt;

use bytes::{BufMut, BytesMut};
use postgres_types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};

type BoxError = Box<dyn StdError + Sync + Send>;

fn exact<const N: usize>(raw: &[u8], what: &str) -> Result<[u8; N], BoxError> {
    raw.try_into()
        .map_err(|_| format!("a {what} is {N} bytes, got {}", raw.len()).into())
}

/// PostgreSQL's `money`: an amount in the currency's smallest unit (cents
/// for `lc_monetary` = `en_US`), as the server stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Money(pub i64);

impl ToSql for Money {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        out.put_i64(self.0);
        Ok(IsNull::No)
    }

    accepts!(MONEY);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Money {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Self(i64::from_be_bytes(exact(raw, "money")?)))
    }

    accepts!(MONEY);
}

/// PostgreSQL's `macaddr`: a 6-byte MAC address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacAddr(pub [u8; 6]);

/// PostgreSQL's `macaddr8`: an 8-byte (EUI-64) MAC address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacAddr8(pub [u8; 8]);

macro_rules! mac {
    ($ty:ident, $n:literal, $pg:ident, $what:literal) => {
        impl ToSql for $ty {
            fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
                out.put_slice(&self.0);
                Ok(IsNull::No)
            }

            accepts!($pg);
            to_sql_checked!();
        }

        impl<'a> FromSql<'a> for $ty {
            fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
                Ok(Self(exact::<$n>(raw, $what)?))
            }

            accepts!($pg);
        }

        /// As PostgreSQL writes it: `08:00:2b:01:02:03`.
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for (i, b) in self.0.iter().enumerate() {
                    if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    };
}

mac!(MacAddr, 6, MACADDR, "macaddr");
mac!(MacAddr8, 8, MACADDR8, "macaddr8");

/// PostgreSQL's `point`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Point {
    /// The x coordinate.
    pub x: f64,
    /// The y coordinate.
    pub y: f64,
}

impl ToSql for Point {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        out.put_f64(self.x);
        out.put_f64(self.y);
        Ok(IsNull::No)
    }

    accepts!(POINT);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Point {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let bytes: [u8; 16] = exact(raw, "point")?;
        let (x, y) = bytes.split_at(8);
        Ok(Self {
            x: f64::from_be_bytes(x.try_into()?),
            y: f64::from_be_bytes(y.try_into()?),
        })
    }

    accepts!(POINT);
}

/// PostgreSQL's `bit(n)` and `bit varying(n)`: a string of bits, the first
/// bit the most significant of the first byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bits {
    len: usize,
    bytes: Vec<u8>,
}

impl Bits {
    /// The bits of `bits`, in order.
    #[must_use]
    pub fn from_bools(bits: &[bool]) -> Self {
        let mut bytes = vec![0u8; bits.len().div_ceil(8)];
        for (i, bit) in bits.iter().enumerate() {
            if *bit {
                bytes[i / 8] |= 0x80 >> (i % 8);
            }
        }
        Self {
            len: bits.len(),
            bytes,
        }
    }

    /// How many bits there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bits.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bit `i` (from the left, as PostgreSQL writes them), if there is one.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len).then(|| self.bytes[i / 8] & (0x80 >> (i % 8)) != 0)
    }

    /// The bits, in order.
    pub fn iter(&self) -> impl Iterator<Item = bool> + '_ {
        (0..self.len).map(|i| self.bytes[i / 8] & (0x80 >> (i % 8)) != 0)
    }
}

/// As PostgreSQL writes it: `1010`.
impl fmt::Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for bit in self.iter() {
            f.write_str(if bit { "1" } else { "0" })?;
        }
        Ok(())
    }
}

impl ToSql for Bits {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let len = i32::try_from(self.len).map_err(|_| "a bit string is at most 2^31 bits")?;
        out.put_i32(len);
        out.put_slice(&self.bytes);
        Ok(IsNull::No)
    }

    accepts!(BIT, VARBIT);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Bits {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let (len, bytes) = raw
            .split_first_chunk::<4>()
            .ok_or("a bit string starts with its length")?;
        let len = usize::try_from(i32::from_be_bytes(*len)).map_err(|_| "a negative bit length")?;
        if bytes.len() != len.div_ceil(8) {
            return Err(format!("{len} bits in {} bytes", bytes.len()).into());
        }
        Ok(Self {
            len,
            bytes: bytes.to_vec(),
        })
    }

    accepts!(BIT, VARBIT);
}

/// PostgreSQL's `xml`: the document's text (the server checks it is
/// well-formed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Xml(pub String);

impl ToSql for Xml {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        out.put_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }

    accepts!(XML);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Xml {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Self(std::str::from_utf8(raw)?.to_owned()))
    }

    accepts!(XML);
}
