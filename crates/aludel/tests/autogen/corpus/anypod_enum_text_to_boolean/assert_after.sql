-- Each query must return 1 after the upgrade.
SELECT count(*) = 3 FROM feed WHERE typeof(explicit) = 'integer';
SELECT explicit = 1 FROM feed WHERE id = 'f1';
SELECT explicit = 0 FROM feed WHERE id = 'f2';
SELECT explicit = 0 FROM feed WHERE id = 'f3';
SELECT count(*) = 4 FROM download;
