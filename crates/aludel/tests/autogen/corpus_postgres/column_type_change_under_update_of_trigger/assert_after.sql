SELECT count(*) = 1 FROM pg_trigger WHERE tgname = 'download_touch' AND NOT tgisinternal;
SELECT sum(filesize) = 3000 FROM download;
