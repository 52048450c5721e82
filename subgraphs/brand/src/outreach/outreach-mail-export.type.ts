import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "A MAIL request's export on your node, to hand to a printer: one CSV row per recipient with name, postal address and the letter's text (its coupon). Personal data: your own brand's analysts and admins only.",
})
export class MailExport {
  @Field(() => ID) requestId!: string;
  @Field(() => Int, { description: "Rows of the CSV, header not counted: 0 until the first batch was sent." }) rows!: number;
  @Field(() => String, { description: "RFC 4180 CSV, every field quoted, CRLF line ends, header first (key, name, address_line_1..4, postal_code, city, region, country, text)." })
  csv!: string;
}
