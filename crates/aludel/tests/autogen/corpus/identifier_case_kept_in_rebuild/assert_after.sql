-- Applications read columns by their declared name (SELECT * names them so).
SELECT group_concat(name, ',') = 'Id,Title,Note' FROM pragma_table_info('Feed');
SELECT count(*) = 1 FROM sqlite_schema WHERE type = 'table' AND name = 'Feed';
