CREATE TABLE "order" ("group" TEXT NOT NULL DEFAULT 'g', "select" INTEGER NOT NULL DEFAULT 1, "two words" TEXT, id INTEGER PRIMARY KEY, "from" TEXT);
CREATE INDEX "ix order group" ON "order" ("group", "two words");
CREATE VIEW "where" AS SELECT "group", "from" FROM "order";
