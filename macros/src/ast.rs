//! The items `#[section]` applies to, parsed from the input tokens (which
//! keep their spans for errors).

use proc_macro2::TokenStream;
use syn::Item;

/// An annotated item.
pub enum Annotated {
    /// A repository or service struct.
    Struct(syn::ItemStruct),
    /// An enum of the section's code.
    Enum(syn::ItemEnum),
    /// An `impl` block of a repository.
    Impl(syn::ItemImpl),
    /// A free function.
    Fn(syn::ItemFn),
    /// An inline module: everything inside belongs to the section.
    Mod(syn::ItemMod),
}

impl Annotated {
    /// Parses the item the attribute is on.
    ///
    /// # Errors
    /// An item of another kind, or a module without a body.
    pub fn parse(item: TokenStream) -> syn::Result<Self> {
        match syn::parse2::<Item>(item)? {
            Item::Struct(s) => Ok(Self::Struct(s)),
            Item::Enum(e) => Ok(Self::Enum(e)),
            Item::Impl(i) => Ok(Self::Impl(i)),
            Item::Fn(f) => Ok(Self::Fn(f)),
            Item::Mod(m) if m.content.is_some() => Ok(Self::Mod(m)),
            Item::Mod(m) => Err(syn::Error::new_spanned(
                &m,
                "`#[section]` on a module needs the module's body here (`mod vendor { … }`), not in another file",
            )),
            other => Err(syn::Error::new_spanned(
                &other,
                "`#[section]` applies to a `struct`, an `enum`, an `impl` block, a `fn` or an inline `mod`",
            )),
        }
    }

    /// The item as a general `syn::Item`.
    pub fn into_item(self) -> Item {
        match self {
            Self::Struct(s) => Item::Struct(s),
            Self::Enum(e) => Item::Enum(e),
            Self::Impl(i) => Item::Impl(i),
            Self::Fn(f) => Item::Fn(f),
            Self::Mod(m) => Item::Mod(m),
        }
    }
}
