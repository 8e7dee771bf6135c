DROP TABLE access_standards;
