/**
 * Reference data of the two tax-inclusive demo stores, as tables: an Australian homewares and pantry
 * shop (GST 10 %, GST-free basic food and listed sunscreen) and a UK clothing and home shop (VAT 20 %,
 * 5 % domestic fuel and child car seats, 0 % children's clothes, books and biscuits, exempt postage
 * stamps). Prices are the shelf prices the merchant sets, tax included; the POS derives the ex-tax
 * price (5 decimals). Tax treatments follow the ATO's GST-free food rules and HMRC's VAT notices 701/14,
 * 701/23, 701/10, 701/19 and 700/24 (stamps).
 */

/** [key, name, parent key] in creation order (a parent before its children). */
export type CategoryRow = readonly [string, string, string | null];
/** [name, category key, shelf price incl. tax, supply price ex tax, tax name] */
export type ProductRow = readonly [string, string, string, string, string];
/** [first, last, company, on-account limit in whole currency units or null] */
export type CustomerRow = readonly [string, string, string | null, number | null];
/** [name, description, contact first, last, category keys it supplies] */
export type SupplierRow = readonly [string, string, string, string, readonly string[]];

export const CATEGORIES_AU: readonly CategoryRow[] = [
  ["home", "Home", null],
  ["kitchen", "Kitchen", "home"],
  ["decor", "Decor", "home"],
  ["pantry", "Pantry", null],
  ["body", "Body", null],
  ["books", "Books & Stationery", null],
];

export const PRODUCTS_AU: readonly ProductRow[] = [
  ["Ceramic pour-over set", "kitchen", "64.95", "26.00", "GST"],
  ["Linen apron", "kitchen", "39.95", "15.50", "GST"],
  ["Spotted gum serving board", "kitchen", "49.00", "19.00", "GST"],
  ["Enamel camp mug", "kitchen", "24.95", "8.40", "GST"],
  ["Salad servers (pair)", "kitchen", "29.95", "10.20", "GST"],
  ["Stoneware dinner plate", "kitchen", "22.50", "7.90", "GST"],
  ["Soy candle – Eucalyptus", "decor", "34.95", "11.80", "GST"],
  ["Hand-woven cushion", "decor", "79.00", "31.00", "GST"],
  ["Terracotta planter", "decor", "44.95", "16.00", "GST"],
  ["Merino throw", "decor", "149.00", "62.00", "GST"],
  ["Framed botanical print A3", "decor", "89.00", "33.00", "GST"],
  ["Single-origin coffee beans 500 g", "pantry", "24.00", "11.50", "GST Free"],
  ["Raw honey 500 g", "pantry", "16.95", "8.10", "GST Free"],
  ["Loose-leaf breakfast tea 100 g", "pantry", "14.50", "6.20", "GST Free"],
  ["Extra virgin olive oil 750 ml", "pantry", "27.95", "13.40", "GST Free"],
  ["Roasted macadamias 250 g", "pantry", "15.95", "7.30", "GST"],
  ["Dark chocolate block 100 g", "pantry", "8.95", "3.10", "GST"],
  ["Sparkling mineral water 750 ml", "pantry", "4.50", "1.40", "GST"],
  ["Sunscreen SPF 50+ 200 ml", "body", "19.95", "8.60", "GST Free"],
  ["Hand cream 75 ml", "body", "24.95", "8.90", "GST"],
  ["Natural deodorant", "body", "16.95", "5.80", "GST"],
  ["Lip balm", "body", "7.95", "2.40", "GST"],
  ["Cookbook: Coastal Kitchen", "books", "45.00", "27.00", "GST"],
  ["Field guide to native plants", "books", "39.99", "24.00", "GST"],
  ["Kids' picture book", "books", "24.99", "15.00", "GST"],
  ["Dotted notebook A5", "books", "12.95", "4.10", "GST"],
];

export const CUSTOMERS_AU: readonly CustomerRow[] = [
  ["Kate", "Nguyen", "Bondi Bean Café Pty Ltd", 3000],
  ["Liam", "O'Brien", "Harbour Events Co.", 5000],
  ["Priya", "Raman", "Little Gum Childcare", 2000],
  ["Jack", "Wilson", null, 600],
  ["Olivia", "Smith", null, null],
  ["Noah", "Williams", null, null],
  ["Charlotte", "Brown", null, 800],
  ["Lucas", "Jones", null, null],
  ["Mia", "Taylor", null, null],
  ["Ethan", "Chen", null, null],
  ["Isla", "Martin", null, null],
  ["Henry", "Kelly", null, null],
];

export const SUPPLIERS_AU: readonly SupplierRow[] = [
  ["Coastal Ceramics Pty Ltd", "Kitchen and decor", "Sarah", "Mitchell", ["kitchen", "decor"]],
  ["Bush Pantry Co.", "Pantry", "Tom", "Harris", ["pantry"]],
  ["Botanica Skincare", "Body care", "Grace", "Lee", ["body"]],
  ["Southern Cross Books", "Books and stationery", "Daniel", "Walsh", ["books"]],
];

export const CATEGORIES_UK: readonly CategoryRow[] = [
  ["clothing", "Clothing", null],
  ["women", "Womenswear", "clothing"],
  ["kids", "Childrenswear", "clothing"],
  ["nursery", "Nursery", null],
  ["books", "Books", null],
  ["home", "Home", null],
  ["fuel", "Home Fuel", "home"],
  ["larder", "Larder", null],
  ["post", "Post Office", null],
];

export const PRODUCTS_UK: readonly ProductRow[] = [
  ["Merino crew jumper", "women", "89.00", "34.00", "VAT 20%"],
  ["Linen shirt", "women", "65.00", "24.00", "VAT 20%"],
  ["Wide-leg trousers", "women", "79.00", "30.00", "VAT 20%"],
  ["Silk scarf", "women", "45.00", "16.00", "VAT 20%"],
  ["Leather belt", "women", "38.00", "13.50", "VAT 20%"],
  ["Kids' cotton pyjamas", "kids", "22.00", "8.00", "VAT 0%"],
  ["Children's wellies", "kids", "24.00", "9.50", "VAT 0%"],
  ["Baby knit cardigan", "kids", "28.00", "10.00", "VAT 0%"],
  ["Kids' school shoes", "kids", "42.00", "17.00", "VAT 0%"],
  ["Child car seat (Group 1)", "nursery", "129.00", "68.00", "VAT 5%"],
  ["Novel: The Lighthouse Keeper", "books", "9.99", "5.99", "VAT 0%"],
  ["Walking guide: the Lake District", "books", "14.99", "8.99", "VAT 0%"],
  ["Children's picture book", "books", "7.99", "4.79", "VAT 0%"],
  ["Cookbook: Seasonal British", "books", "26.00", "15.60", "VAT 0%"],
  ["Scented candle – Fig", "home", "32.00", "11.00", "VAT 20%"],
  ["Stoneware mug", "home", "14.00", "4.60", "VAT 20%"],
  ["Wool blanket", "home", "120.00", "48.00", "VAT 20%"],
  ["Tea towel set", "home", "16.00", "5.20", "VAT 20%"],
  ["Kiln-dried logs (net)", "fuel", "9.50", "4.80", "VAT 5%"],
  ["Smokeless coal 10 kg", "fuel", "12.50", "6.90", "VAT 5%"],
  ["All-butter shortbread tin", "larder", "8.50", "3.40", "VAT 0%"],
  ["Chocolate-covered biscuits", "larder", "4.75", "1.60", "VAT 20%"],
  ["English breakfast tea (80 bags)", "larder", "5.25", "2.10", "VAT 0%"],
  ["First class stamps (book of 8)", "post", "13.20", "13.20", "Exempt"],
];

export const CUSTOMERS_UK: readonly CustomerRow[] = [
  ["Harriet", "Clarke", "Upper Street Bakery Ltd", 2500],
  ["James", "Patel", "Canonbury Design Studio", 4000],
  ["Fiona", "MacLeod", "Highbury Playgroup", 1500],
  ["Oliver", "Hughes", null, 500],
  ["Amelia", "Wright", null, null],
  ["George", "Evans", null, null],
  ["Sophie", "Turner", null, 700],
  ["Harry", "Morgan", null, null],
  ["Emily", "Cooper", null, null],
  ["Arthur", "Ward", null, null],
  ["Poppy", "Bennett", null, null],
  ["Freddie", "Shaw", null, null],
];

export const SUPPLIERS_UK: readonly SupplierRow[] = [
  ["Yorkshire Knitwear Ltd", "Womenswear", "Alice", "Barker", ["women"]],
  ["Little Acorn Childrenswear", "Childrenswear and nursery", "Ben", "Foster", ["kids", "nursery"]],
  ["Penrose Books", "Books", "Clare", "Holt", ["books"]],
  ["Hearth & Larder Co.", "Home, fuel and larder", "Dominic", "Reid", ["home", "fuel", "larder"]],
  ["Royal Mail Group", "Postage", "Elaine", "Price", ["post"]],
];
