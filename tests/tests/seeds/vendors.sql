-- Two vendors, for the tests of `#[pg_sections::test(seed = …)]`.
INSERT INTO vendor.vendor_profile (business_name, contact_email)
VALUES ('Acme Parts', 'sales@acme.example'),
       ('Bolt & Nut', NULL);
