-- Reference data of section `core`: the manufacturers every environment
-- starts with. Seeds run again whenever they change, so each statement
-- leaves rows that are already there alone.
INSERT INTO manufacturer (name, country_code, website)
SELECT name, country_code, website
FROM (VALUES
    ('Bosch', 'DE', 'https://www.bosch.com'),
    ('Denso', 'JP', 'https://www.denso.com')
) AS seed (name, country_code, website)
WHERE NOT EXISTS (SELECT FROM manufacturer m WHERE m.name = seed.name);
