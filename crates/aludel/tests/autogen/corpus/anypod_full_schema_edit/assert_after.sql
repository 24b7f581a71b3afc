-- The triggers still count and the renamed column kept its values.
SELECT total_downloads = 2 FROM feed WHERE id = 'f1';
SELECT name = 'First' FROM feed WHERE id = 'f1';
SELECT count(*) = 3 FROM download;
