CREATE TABLE "order" ("group" TEXT, "select" INTEGER NOT NULL DEFAULT 0, "two words" TEXT, id INTEGER PRIMARY KEY);
CREATE INDEX "ix order group" ON "order" ("group");
