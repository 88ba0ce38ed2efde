//! The types of expressions, resolved the way PostgreSQL resolves them
//! (`parse_func.c`, `parse_oper.c`, `parse_coerce.c`): candidates by name and
//! arity, an exact match first, then the candidates every argument coerces
//! to implicitly, narrowed by exact matches, preferred types and the
//! categories of untyped literals; polymorphic arguments bound consistently;
//! `CASE`, `COALESCE`, `UNION` and `ARRAY` through the common type.

use super::builtins::{Builtins, Function, Operator, builtins};
use crate::model::PgType;

/// An expression's type while resolving: an untyped literal (`'text'`,
/// `NULL`) stays unknown until its context decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    Unknown,
    Known(PgType),
}

impl Ty {
    pub fn builtin(name: &str) -> Self {
        Self::Known(PgType::builtin(name))
    }

    /// The type a view column of this type has: PostgreSQL types a view's
    /// untyped literal as `text`.
    pub fn into_column_type(self) -> PgType {
        match self {
            Self::Unknown => PgType::builtin("text"),
            Self::Known(t) => t,
        }
    }
}

/// What resolution needs of the user's types.
pub(crate) trait UserTypes {
    /// The base type of a domain; `None` for any other type.
    fn domain_base(&self, ty: &PgType) -> Option<PgType>;
    /// Whether the type is an enum created earlier.
    fn is_enum(&self, ty: &PgType) -> bool;
}

/// What a resolved function is.
pub(crate) struct Resolved<'b> {
    pub function: &'b Function,
    /// Its result with its polymorphic type bound (`record` for a
    /// function with `OUT` columns).
    pub result: PgType,
}

const CATEGORY_ARRAY: u8 = b'A';
const CATEGORY_ENUM: u8 = b'E';
const CATEGORY_STRING: u8 = b'S';
const CATEGORY_UNKNOWN: u8 = b'X';

/// A type as the built-ins table names it: `int4`, `_int4` for an array,
/// `schema.name` for an enum. Domains are reduced to their base type.
type Key = String;

pub(crate) struct Resolver<'u> {
    user: &'u dyn UserTypes,
    b: &'static Builtins,
}

struct Candidate<'b> {
    args: Vec<&'static str>,
    function: Option<&'b Function>,
    operator: Option<&'b Operator>,
}

impl<'u> Resolver<'u> {
    pub fn new(user: &'u dyn UserTypes) -> Self {
        Self {
            user,
            b: builtins(),
        }
    }

    /// A domain's base type, through domains over domains.
    pub fn base(&self, ty: &PgType) -> PgType {
        let mut ty = ty.clone();
        for _ in 0..32 {
            match self.user.domain_base(&ty) {
                Some(base) if ty.array_dims == 0 => ty = base,
                _ => break,
            }
        }
        ty
    }

    fn key(&self, ty: &Ty) -> Result<Option<Key>, String> {
        let Ty::Known(ty) = ty else {
            return Ok(None);
        };
        let base = self.base(ty);
        let element = match &base.schema {
            None if self.b.is_type(&base.name) => base.name.clone(),
            Some(schema) if self.user.is_enum(&base.element()) => {
                format!("{schema}.{}", base.name)
            }
            _ => {
                return Err(format!(
                    "`{ty}` is not a built-in type, so what functions and operators make of it needs the server"
                ));
            }
        };
        Ok(Some(if base.array_dims > 0 {
            format!("_{element}")
        } else {
            element
        }))
    }

    fn info(&self, key: &str) -> (u8, bool) {
        if let Some(info) = self.b.type_info(key) {
            (info.category, info.preferred)
        } else if key.starts_with('_') {
            (CATEGORY_ARRAY, false)
        } else if key.contains('.') {
            (CATEGORY_ENUM, false)
        } else {
            (CATEGORY_UNKNOWN, false)
        }
    }

    fn is_array(&self, key: &str) -> bool {
        self.info(key).0 == CATEGORY_ARRAY
    }

    fn element(key: &str) -> &str {
        key.strip_prefix('_').unwrap_or(key)
    }

    /// Whether a value of `input` (`None`: unknown) can be passed where
    /// `target` is declared, implicitly.
    fn can_coerce(&self, input: Option<&str>, target: &str) -> bool {
        let Some(input) = input else {
            return true;
        };
        if input == target || target == "any" {
            return true;
        }
        match target {
            "anyelement" | "anycompatible" => true,
            "anynonarray" | "anycompatiblenonarray" => !self.is_array(input),
            "anyarray" | "anycompatiblearray" => self.is_array(input),
            "anyenum" => self.info(input).0 == CATEGORY_ENUM,
            "anyrange" | "anycompatiblerange" => self.b.range(input).is_some(),
            "anymultirange" | "anycompatiblemultirange" => {
                self.b.range_of_multirange(input).is_some()
            }
            _ => {
                self.b.implicit_cast(input, target)
                    || (self.is_array(input)
                        && target.starts_with('_')
                        && self
                            .b
                            .implicit_cast(Self::element(input), Self::element(target)))
            }
        }
    }

    fn to_type(key: &str) -> PgType {
        let (element, dims) = match key.strip_prefix('_') {
            Some(element) => (element, 1),
            None => (key, 0),
        };
        let (schema, name) = match element.split_once('.') {
            Some((schema, name)) => (Some(schema.to_owned()), name),
            None => (None, element),
        };
        PgType {
            schema,
            name: name.to_owned(),
            modifiers: Vec::new(),
            array_dims: dims,
        }
    }

    /// The common type of `CASE` branches, `COALESCE` arguments, `UNION`
    /// columns and `ARRAY` elements (`select_common_type`): one type when all
    /// are the same (a domain included), `text` when all are unknown.
    pub fn common_type(&self, types: &[Ty], context: &str) -> Result<Ty, String> {
        let known: Vec<&PgType> = types
            .iter()
            .filter_map(|t| match t {
                Ty::Known(t) => Some(t),
                Ty::Unknown => None,
            })
            .collect();
        let Some(first) = known.first() else {
            return Ok(Ty::builtin("text"));
        };
        let same = |a: &PgType, b: &PgType| {
            a.schema == b.schema && a.name == b.name && a.array_dims == b.array_dims
        };
        if known.len() == types.len() && known.iter().all(|t| same(t, first)) {
            // The modifiers survive when every input has the same.
            let mut ty = (*first).clone();
            if !known.iter().all(|t| t.modifiers == first.modifiers) {
                ty.modifiers.clear();
            }
            return Ok(Ty::Known(ty));
        }
        // Otherwise domains count as their base types; when those are all
        // one type, it is the result, whatever its category (`citext`).
        let base = self.base(first);
        if known.iter().all(|t| same(&self.base(t), &base)) {
            let mut ty = base;
            if known.len() != types.len()
                || !known.iter().all(|t| self.base(t).modifiers == ty.modifiers)
            {
                ty.modifiers.clear();
            }
            return Ok(Ty::Known(ty));
        }
        let mut chosen = self.key(&Ty::Known((*first).clone()))?.unwrap_or_default();
        let (mut category, mut preferred) = self.info(&chosen);
        for t in &known[1..] {
            let next = self.key(&Ty::Known((*t).clone()))?.unwrap_or_default();
            if next == chosen {
                continue;
            }
            let (next_category, next_preferred) = self.info(&next);
            if next_category != category {
                return Err(format!(
                    "{context} types {} and {} cannot be matched",
                    &Self::to_type(&chosen),
                    &Self::to_type(&next)
                ));
            }
            if !preferred
                && self.can_coerce(Some(&chosen), &next)
                && !self.can_coerce(Some(&next), &chosen)
            {
                chosen = next;
                preferred = next_preferred;
                category = next_category;
            }
        }
        let mut ty = Self::to_type(&chosen);
        // The modifiers survive when every input has the chosen type and
        // the same modifiers.
        if known.len() == types.len() {
            let chosen_type = Self::to_type(&chosen);
            if let Some(mods) = known
                .iter()
                .map(|t| self.base(t))
                .all(|t| same(&t, &chosen_type) && t.modifiers == first.modifiers)
                .then(|| first.modifiers.clone())
            {
                ty.modifiers = mods;
            }
        }
        Ok(Ty::Known(ty))
    }

    /// A function call's resolution: `name` is the function's name in
    /// `pg_catalog`.
    pub fn function(&self, name: &str, args: &[Ty]) -> Result<Resolved<'static>, String> {
        self.function_with_arguments(name, args).map(|(r, _)| r)
    }

    /// A function call's resolution, and the types its arguments are
    /// passed as.
    pub fn function_with_arguments(
        &self,
        name: &str,
        args: &[Ty],
    ) -> Result<(Resolved<'static>, Vec<Ty>), String> {
        self.call(name, args, &[], false)
    }

    /// A call's resolution. `names` holds the name of each argument written
    /// in named notation (`days => 2`), which come after the positional
    /// ones; `variadic` when the last argument is written `VARIADIC
    /// array`: then only variadic functions match, and the array is passed
    /// as it is, not spread.
    pub fn call(
        &self,
        name: &str,
        args: &[Ty],
        names: &[Option<&str>],
        variadic: bool,
    ) -> Result<(Resolved<'static>, Vec<Ty>), String> {
        let keys = args
            .iter()
            .map(|a| self.key(a))
            .collect::<Result<Vec<_>, _>>()?;
        let n = args.len();
        let in_named_notation = names.iter().any(Option::is_some);
        let mut candidates: Vec<Candidate<'static>> = Vec::new();
        for f in self.b.functions(name) {
            let declared = f.args.len();
            if variadic && !(f.variadic && declared == n) && !in_named_notation {
                continue;
            }
            let args = if in_named_notation {
                match named_arguments(f, names) {
                    Some(args) => args,
                    None => continue,
                }
            } else if declared == n {
                f.args.clone()
            } else if n < declared && declared - f.defaults <= n {
                f.args[..n].to_vec()
            } else if f.variadic && n >= declared {
                let last = f.args[declared - 1];
                let element = match last {
                    "any" => "any",
                    "anyarray" => "anyelement",
                    "anycompatiblearray" => "anycompatible",
                    other => other.strip_prefix('_').unwrap_or(other),
                };
                let mut expanded = f.args[..declared - 1].to_vec();
                expanded.resize(n, element);
                expanded
            } else {
                continue;
            };
            candidates.push(Candidate {
                args,
                function: Some(f),
                operator: None,
            });
        }
        if candidates.is_empty() {
            return Err(if self.b.functions(name).is_empty() {
                format!("function `{name}` is not a built-in function")
            } else {
                format!("no built-in `{name}` takes {n} argument(s)")
            });
        }
        let chosen = self.choose(candidates, &keys, &format!("{name}(…)"))?;
        let function = chosen
            .function
            .unwrap_or_else(|| unreachable!("a function candidate"));
        let (mut result, mut arguments) = self.bind(&chosen.args, &keys, function.result, name)?;
        // `anyelement` keeps a domain (`first_value(d)` is of the domain,
        // `array_agg(d)` an array of it); `anyarray` and the
        // `anycompatible` family take its base type.
        if let Some(domain) = self.element_domain(&chosen.args, args) {
            let element = |d: &str| matches!(d, "anyelement" | "anynonarray" | "anyenum");
            if element(function.result) {
                result = domain.clone();
            } else if function.result == "anyarray" {
                result = PgType {
                    array_dims: 1,
                    ..domain.clone()
                };
            }
            for (declared, passed) in chosen.args.iter().zip(arguments.iter_mut()) {
                if element(declared) {
                    *passed = Ty::Known(domain.clone());
                }
            }
        }
        Ok((Resolved { function, result }, arguments))
    }

    /// The domain every argument declared `anyelement` (`anynonarray`,
    /// `anyenum`) is of, when they all are of one (untyped literals aside).
    fn element_domain(&self, declared: &[&str], args: &[Ty]) -> Option<PgType> {
        let mut domain: Option<&PgType> = None;
        for (d, arg) in declared.iter().zip(args) {
            if !matches!(*d, "anyelement" | "anynonarray" | "anyenum") {
                continue;
            }
            let Ty::Known(ty) = arg else { continue };
            let is_domain = ty.array_dims == 0 && ty.schema.is_some() && self.base(ty) != *ty;
            match domain {
                _ if !is_domain => return None,
                Some(seen) if seen != ty => return None,
                _ => domain = Some(ty),
            }
        }
        domain.cloned()
    }

    /// An operator's result: `left` is `None` for a prefix operator.
    pub fn operator(&self, name: &str, left: Option<&Ty>, right: &Ty) -> Result<PgType, String> {
        self.operator_with_arguments(name, left, right)
            .map(|(r, _)| r)
    }

    /// An operator's result, and the types its operands are passed as.
    pub fn operator_with_arguments(
        &self,
        name: &str,
        left: Option<&Ty>,
        right: &Ty,
    ) -> Result<(PgType, Vec<Ty>), String> {
        let mut keys = Vec::new();
        if let Some(left) = left {
            keys.push(self.key(left)?);
        }
        keys.push(self.key(right)?);
        let shown = match left {
            Some(_) => format!("operator `{name}`"),
            None => format!("prefix operator `{name}`"),
        };
        let candidates: Vec<Candidate<'static>> = self
            .b
            .operators(name)
            .iter()
            .filter(|o| o.left.is_some() == left.is_some())
            .map(|o| Candidate {
                args: o.left.into_iter().chain([o.right]).collect(),
                function: None,
                operator: Some(o),
            })
            .collect();
        if candidates.is_empty() {
            return Err(format!("{shown} is not a built-in operator"));
        }
        // An unknown side is taken to be of the other side's type first
        // (`binary_oper_exact`), then of its base type when a domain.
        if let [Some(known), None] | [None, Some(known)] = keys.as_slice() {
            let exact = candidates
                .iter()
                .find(|c| c.args.iter().all(|a| a == known));
            if let Some(c) = exact {
                let o = c
                    .operator
                    .unwrap_or_else(|| unreachable!("an operator candidate"));
                let both = vec![Some(known.clone()), Some(known.clone())];
                return self.bind(&c.args, &both, o.result, name);
            }
        }
        let chosen = self.choose(candidates, &keys, &shown)?;
        let o = chosen
            .operator
            .unwrap_or_else(|| unreachable!("an operator candidate"));
        self.bind(&chosen.args, &keys, o.result, name)
    }

    /// `func_match_argtypes` and `func_select_candidate`.
    fn choose<'b>(
        &self,
        candidates: Vec<Candidate<'b>>,
        keys: &[Option<Key>],
        shown: &str,
    ) -> Result<Candidate<'b>, String> {
        // An exact match wins outright.
        if keys.iter().all(Option::is_some)
            && let Some(i) = candidates.iter().position(|c| {
                c.args
                    .iter()
                    .zip(keys)
                    .all(|(a, k)| k.as_deref() == Some(*a))
            })
        {
            let mut candidates = candidates;
            return Ok(candidates.swap_remove(i));
        }
        let types = keys
            .iter()
            .map(|k| match k {
                Some(k) => k.clone(),
                None => "unknown".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut candidates: Vec<Candidate<'b>> = candidates
            .into_iter()
            .filter(|c| {
                c.args
                    .iter()
                    .zip(keys)
                    .all(|(a, k)| self.can_coerce(k.as_deref(), a))
                    && self.consistent(&c.args, keys)
            })
            .collect();
        if candidates.is_empty() {
            return Err(format!("no built-in {shown} takes ({types})"));
        }
        if candidates.len() == 1 {
            return Ok(candidates.remove(0));
        }
        // Most exact matches.
        keep_best(&mut candidates, |c| {
            c.args
                .iter()
                .zip(keys)
                .filter(|(a, k)| k.as_deref() == Some(**a))
                .count()
        });
        if candidates.len() == 1 {
            return Ok(candidates.remove(0));
        }
        // Most exact matches or preferred types of the input's category.
        keep_best(&mut candidates, |c| {
            c.args
                .iter()
                .zip(keys)
                .filter(|(a, k)| {
                    k.as_deref().is_some_and(|k| {
                        let (category, _) = self.info(k);
                        let (a_category, a_preferred) = self.info(a);
                        k == **a || (a_category == category && a_preferred)
                    })
                })
                .count()
        });
        if candidates.len() == 1 {
            return Ok(candidates.remove(0));
        }
        // Unknown arguments: the string category if a candidate takes one
        // there, else the one category every candidate agrees on; its
        // preferred type if a candidate takes that.
        if keys.iter().any(Option::is_none) {
            for (i, _) in keys.iter().enumerate().filter(|(_, k)| k.is_none()) {
                let mut category = None;
                let mut has_preferred = false;
                let mut resolved = true;
                for c in &candidates {
                    let (cat, preferred) = self.info(c.args[i]);
                    match category {
                        None => {
                            category = Some(cat);
                            has_preferred = preferred;
                        }
                        Some(slot) if slot == cat => has_preferred |= preferred,
                        Some(_) if cat == CATEGORY_STRING => {
                            category = Some(cat);
                            has_preferred = preferred;
                        }
                        Some(_) => resolved = false,
                    }
                }
                if resolved || category == Some(CATEGORY_STRING) {
                    let keep: Vec<bool> = candidates
                        .iter()
                        .map(|c| {
                            let (cat, preferred) = self.info(c.args[i]);
                            Some(cat) == category && (!has_preferred || preferred)
                        })
                        .collect();
                    if keep.iter().any(|k| *k) {
                        let mut keep = keep.into_iter();
                        candidates.retain(|_| keep.next().unwrap_or(false));
                    }
                }
            }
            if candidates.len() == 1 {
                return Ok(candidates.remove(0));
            }
            // When every known argument has one type, unknowns are taken
            // to be of it.
            let known: Vec<&Key> = keys.iter().flatten().collect();
            if let Some(first) = known.first()
                && known.iter().all(|k| k == first)
            {
                let fitting: Vec<usize> = candidates
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.args
                            .iter()
                            .zip(keys)
                            .all(|(a, k)| k.is_some() || self.can_coerce(Some(first), a))
                    })
                    .map(|(i, _)| i)
                    .collect();
                if let [only] = fitting.as_slice() {
                    return Ok(candidates.remove(*only));
                }
            }
        }
        Err(format!(
            "{shown} with ({types}) is ambiguous: {} built-ins could take it",
            candidates.len()
        ))
    }

    /// Whether the polymorphic arguments of a candidate agree.
    fn consistent(&self, declared: &[&str], keys: &[Option<Key>]) -> bool {
        self.binding(declared, keys).is_ok()
    }

    /// The types the polymorphic arguments bind: the element (and range)
    /// of the `anyelement` family, the common type of `anycompatible`.
    fn binding(&self, declared: &[&str], keys: &[Option<Key>]) -> Result<Binding, String> {
        let mut out = Binding::default();
        let mut compatible: Vec<Ty> = Vec::new();
        let set = |slot: &mut Option<Key>, value: &str| -> Result<(), String> {
            match slot {
                Some(bound) if bound != value => Err(format!(
                    "its polymorphic arguments disagree ({bound} and {value})"
                )),
                _ => {
                    *slot = Some(value.to_owned());
                    Ok(())
                }
            }
        };
        for (d, k) in declared.iter().zip(keys) {
            let Some(k) = k else {
                continue;
            };
            match *d {
                "anyelement" | "anynonarray" | "anyenum" => set(&mut out.element, k)?,
                "anyarray" => set(&mut out.element, Self::element(k))?,
                "anyrange" => {
                    let (sub, _) = self.b.range(k).unwrap_or_default();
                    set(&mut out.range, k)?;
                    set(&mut out.element, sub)?;
                }
                "anymultirange" => {
                    let range = self.b.range_of_multirange(k).unwrap_or_default();
                    let (sub, _) = self.b.range(range).unwrap_or_default();
                    set(&mut out.range, range)?;
                    set(&mut out.element, sub)?;
                }
                "anycompatible" | "anycompatiblenonarray" => {
                    compatible.push(Ty::Known(Self::to_type(k)));
                }
                "anycompatiblearray" => {
                    compatible.push(Ty::Known(Self::to_type(Self::element(k))));
                }
                "anycompatiblerange" => {
                    set(&mut out.compatible_range, k)?;
                    let (sub, _) = self.b.range(k).unwrap_or_default();
                    compatible.push(Ty::Known(Self::to_type(sub)));
                }
                _ => {}
            }
        }
        if let Some(element) = &out.element
            && declared.contains(&"anynonarray")
            && self.is_array(element)
        {
            return Err("an array where a non-array is declared".to_owned());
        }
        if !compatible.is_empty() {
            let common = self.common_type(&compatible, "polymorphic")?;
            out.compatible = self.key(&common)?;
        }
        Ok(out)
    }

    /// The result type of a chosen candidate and the types its arguments
    /// are passed as, its polymorphism bound (`"any"` and undetermined
    /// polymorphic arguments stay pseudo-types).
    fn bind(
        &self,
        declared: &[&str],
        keys: &[Option<Key>],
        result: &str,
        name: &str,
    ) -> Result<(PgType, Vec<Ty>), String> {
        let binding = self.binding(declared, keys)?;
        let result = self.concrete(&binding, result).ok_or_else(|| {
            format!(
                "the result of `{name}` is polymorphic and its arguments are untyped literals; cast one of them"
            )
        })?;
        let arguments = declared
            .iter()
            .map(|d| {
                Ty::Known(Self::to_type(
                    &self
                        .concrete(&binding, d)
                        .unwrap_or_else(|| (*d).to_owned()),
                ))
            })
            .collect();
        Ok((Self::to_type(&result), arguments))
    }

    /// A declared type with its polymorphism bound; `None` when unbound.
    fn concrete(&self, binding: &Binding, declared: &str) -> Option<Key> {
        Some(match declared {
            "anyelement" | "anynonarray" | "anyenum" => binding.element.clone()?,
            "anyarray" => format!("_{}", binding.element.clone()?),
            "anyrange" => binding.range.clone()?,
            "anymultirange" => {
                let range = binding.range.clone()?;
                self.b.range(&range).map(|(_, m)| m.to_owned())?
            }
            "anycompatible" | "anycompatiblenonarray" => binding
                .compatible
                .clone()
                .unwrap_or_else(|| "text".to_owned()),
            "anycompatiblearray" => format!(
                "_{}",
                binding
                    .compatible
                    .clone()
                    .unwrap_or_else(|| "text".to_owned())
            ),
            "anycompatiblerange" => binding.compatible_range.clone()?,
            other => other.to_owned(),
        })
    }
}

#[derive(Default)]
struct Binding {
    element: Option<Key>,
    range: Option<Key>,
    compatible: Option<Key>,
    compatible_range: Option<Key>,
}

/// Keeps the candidates with the highest score, all of them when none
/// scores.
/// The declared types of `f`'s arguments in the order of a call in named
/// notation: positional arguments first, each named one where its name is;
/// `None` when a name is not `f`'s, is given twice or names a positional
/// argument, or an argument left out has no default.
fn named_arguments(
    f: &super::builtins::Function,
    names: &[Option<&str>],
) -> Option<Vec<&'static str>> {
    let declared = f.args.len();
    let mut given = vec![false; declared];
    let mut args = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let at = match name {
            None => i,
            Some(name) => f.names.iter().position(|n| n == name)?,
        };
        if at >= declared || std::mem::replace(&mut given[at], true) {
            return None;
        }
        args.push(f.args[at]);
    }
    let first_default = declared - f.defaults;
    given
        .iter()
        .enumerate()
        .all(|(i, &g)| g || i >= first_default)
        .then_some(args)
}

fn keep_best<T>(candidates: &mut Vec<T>, score: impl Fn(&T) -> usize) {
    let scores: Vec<usize> = candidates.iter().map(&score).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let mut scores = scores.into_iter();
    candidates.retain(|_| scores.next() == Some(best));
}
