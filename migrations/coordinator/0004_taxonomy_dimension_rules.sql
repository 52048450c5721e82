-- A dimension's cardinality is one of two values and never changes once the dimension exists:
-- nodes have enforced it on their members' tags and keyed stored answers by it.
ALTER TABLE "taxonomy_dimensions" ADD CONSTRAINT "taxonomy_dimensions_cardinality_check" CHECK ("cardinality" IN ('ONE', 'MANY'));
--> statement-breakpoint
CREATE FUNCTION "taxonomy_dimensions_keep_cardinality"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.cardinality IS DISTINCT FROM OLD.cardinality THEN
    RAISE EXCEPTION 'taxonomy dimension % is % and stays so', OLD.dimension, OLD.cardinality USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER keep_cardinality BEFORE UPDATE ON "taxonomy_dimensions"
  FOR EACH ROW EXECUTE FUNCTION "taxonomy_dimensions_keep_cardinality"();
--> statement-breakpoint
-- Dimensions of tags added before cardinalities existed: the demographic and RFM dimensions hold
-- one value per member, everything else any number.
INSERT INTO "taxonomy_dimensions" ("dimension", "cardinality")
SELECT DISTINCT "dimension",
       CASE WHEN "dimension" IN ('age', 'gender', 'region', 'lifecycle', 'rfm_r', 'rfm_f', 'rfm_m') THEN 'ONE' ELSE 'MANY' END
  FROM "taxonomy_tags"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Every tag belongs to a known dimension.
ALTER TABLE "taxonomy_tags" ADD CONSTRAINT "taxonomy_tags_dimension_fk" FOREIGN KEY ("dimension") REFERENCES "taxonomy_dimensions" ("dimension");
