DROP TABLE roster_rollups;
