//! Typed columns, written as CSV cells or as one Parquet row group through the low-level column
//! writer (no Arrow, uncompressed pages: nothing but the `parquet` crate itself to build).
use crate::output::{fmt_real, write_atomic};
use crate::run::CampaignError;
use parquet::basic::{IntType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// One column; `None` is an empty CSV cell and a Parquet null.
#[derive(Clone, Debug, PartialEq)]
pub enum Col {
    Int(Vec<Option<i64>>),
    /// Seeds: unsigned 64-bit.
    UInt(Vec<Option<u64>>),
    Real(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
}

impl Col {
    pub fn len(&self) -> usize {
        match self {
            Col::Int(v) => v.len(),
            Col::UInt(v) => v.len(),
            Col::Real(v) => v.len(),
            Col::Text(v) => v.len(),
            Col::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i` as CSV text: integers as integers, reals in Rust's shortest exact form.
    pub fn text(&self, i: usize) -> String {
        match self {
            Col::Int(v) => v[i].map(|x| x.to_string()),
            Col::UInt(v) => v[i].map(|x| x.to_string()),
            Col::Real(v) => v[i].map(fmt_real),
            Col::Text(v) => v[i].clone(),
            Col::Bool(v) => v[i].map(|x| x.to_string()),
        }
        .unwrap_or_default()
    }

    /// Cell `i` as a number, where it is one.
    pub fn real(&self, i: usize) -> Option<f64> {
        match self {
            Col::Int(v) => v[i].map(|x| x as f64),
            Col::UInt(v) => v[i].map(|x| x as f64),
            Col::Real(v) => v[i],
            _ => None,
        }
    }
}

fn split<T: Clone>(v: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    (v.iter().flatten().cloned().collect(), v.iter().map(|x| i16::from(x.is_some())).collect())
}

fn encode(table: &[(String, Col)]) -> parquet::errors::Result<Vec<u8>> {
    let mut fields = Vec::new();
    for (name, col) in table {
        let (physical, logical) = match col {
            Col::Int(_) => (Physical::INT64, None),
            Col::UInt(_) => (Physical::INT64, Some(LogicalType::Integer(IntType { bit_width: 64, is_signed: false }))),
            Col::Real(_) => (Physical::DOUBLE, None),
            Col::Text(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            Col::Bool(_) => (Physical::BOOLEAN, None),
        };
        fields.push(Arc::new(
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()?,
        ));
    }
    let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build()?);
    let props = Arc::new(WriterProperties::builder().set_created_by("bulwark-campaign".into()).build());
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props)?;
    let mut group = writer.next_row_group()?;
    for (_, col) in table {
        let Some(mut w) = group.next_column()? else { break };
        match col {
            Col::Int(v) => {
                let (vals, defs) = split(v);
                w.typed::<Int64Type>().write_batch(&vals, Some(&defs), None)?;
            }
            Col::UInt(v) => {
                let (vals, defs) = split(v);
                let vals: Vec<i64> = vals.iter().map(|&x| x as i64).collect();
                w.typed::<Int64Type>().write_batch(&vals, Some(&defs), None)?;
            }
            Col::Real(v) => {
                let (vals, defs) = split(v);
                w.typed::<DoubleType>().write_batch(&vals, Some(&defs), None)?;
            }
            Col::Text(v) => {
                let (vals, defs) = split(v);
                let vals: Vec<ByteArray> = vals.iter().map(|s| ByteArray::from(s.as_str())).collect();
                w.typed::<ByteArrayType>().write_batch(&vals, Some(&defs), None)?;
            }
            Col::Bool(v) => {
                let (vals, defs) = split(v);
                w.typed::<BoolType>().write_batch(&vals, Some(&defs), None)?;
            }
        }
        w.close()?;
    }
    group.close()?;
    writer.into_inner()
}

/// Writes `table` as a Parquet file at `path` (atomically).
pub fn write(path: &Path, table: &[(String, Col)]) -> Result<(), CampaignError> {
    let bytes = encode(table).map_err(|e| CampaignError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("encoding Parquet: {e}")),
    })?;
    write_atomic(path, &bytes)
}
