-- Each query must return 1 after the downgrade.
SELECT explicit = 'YES' FROM feed WHERE id = 'f1';
SELECT explicit = 'NO' FROM feed WHERE id = 'f2';
SELECT explicit = 'NO' FROM feed WHERE id = 'f3';
