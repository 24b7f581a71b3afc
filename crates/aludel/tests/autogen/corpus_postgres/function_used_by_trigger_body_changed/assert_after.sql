SELECT count(*) = 1 FROM pg_proc WHERE proname = 'note_touch' AND prosrc LIKE '%+ 10%';
