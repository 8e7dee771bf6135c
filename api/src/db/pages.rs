//! A whole table read a page at a time, in the order of its text ids (keyset paging): the
//! maintenance commands that look at every case (`hoagiai stats check [--fix]`) then hold one page
//! in memory, whatever the number of rows — a country's million cases would take gigabytes at once.

use super::DbConn;
use crate::error::ApiError;

/// Rows read at a time.
pub const PAGE: i64 = 5_000;

/// Gives every row to `each`: `page` loads at most `limit` rows whose id is greater than `after`
/// (`""` for the first page), in the order of their ids; `id` tells a row's id.
pub fn each_row<T>(
    conn: &mut DbConn,
    page: impl Fn(&mut DbConn, &str, i64) -> Result<Vec<T>, ApiError>,
    id: impl Fn(&T) -> &str,
    each: impl FnMut(&mut DbConn, &T) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    each_row_in_pages_of(PAGE, conn, page, id, each)
}

fn each_row_in_pages_of<T>(
    size: i64,
    conn: &mut DbConn,
    page: impl Fn(&mut DbConn, &str, i64) -> Result<Vec<T>, ApiError>,
    id: impl Fn(&T) -> &str,
    mut each: impl FnMut(&mut DbConn, &T) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut after = String::new();
    loop {
        let rows = page(conn, &after, size)?;
        for row in &rows {
            each(conn, row)?;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == size => after = id(last).to_string(),
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::Text;
    use diesel::{Connection, QueryableByName, RunQueryDsl};

    use super::*;

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        id: String,
    }

    fn page(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<Row>, ApiError> {
        let DbConn::Sqlite(c) = conn else { unreachable!() };
        Ok(diesel::sql_query("SELECT id FROM t WHERE id > ? ORDER BY id LIMIT ?")
            .bind::<Text, _>(after)
            .bind::<diesel::sql_types::BigInt, _>(limit)
            .load(c)?)
    }

    /// Every row once, in order, whether the last page is full, partial or empty; the pages are
    /// no larger than asked.
    #[test]
    fn every_row_once_in_order() {
        for rows in [0, 1, 5, 6, 7] {
            let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
            let DbConn::Sqlite(c) = &mut conn else { unreachable!() };
            c.batch_execute("CREATE TABLE t (id TEXT PRIMARY KEY)").unwrap();
            // Inserted out of order: the pages follow the ids, not the insertion.
            for i in (0..rows).rev() {
                c.batch_execute(&format!("INSERT INTO t VALUES ('row-{i:02}')")).unwrap();
            }
            let largest = std::cell::Cell::new(0);
            let mut seen = Vec::new();
            each_row_in_pages_of(
                3,
                &mut conn,
                |conn, after, limit| {
                    let got = page(conn, after, limit)?;
                    largest.set(largest.get().max(got.len()));
                    Ok(got)
                },
                |r| &r.id,
                |_, r| {
                    seen.push(r.id.clone());
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..rows).map(|i| format!("row-{i:02}")).collect::<Vec<_>>(), "{rows} rows");
            assert!(largest.get() <= 3);
        }
    }
}
