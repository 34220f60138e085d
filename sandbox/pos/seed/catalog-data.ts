/**
 * The demo stores' reference data as tables. Prices are ex tax; a few carry 5 decimals (the POS keeps
 * unit prices to 5 places, e.g. 9.09091 = 10.00 incl. 10% tax elsewhere), on purpose.
 */

export type CategoryKey = "tops" | "bottoms" | "accessories" | "books" | "home";

/** [French name, English name, category, price ex tax, supply price] */
export const PRODUCTS: readonly (readonly [string, string, CategoryKey, string, string])[] = [
  ["T-shirt coton bio", "Organic cotton tee", "tops", "24.99", "9.50"],
  ["Chemise en lin", "Linen shirt", "tops", "59.00", "24.00"],
  ["Pull mérinos", "Merino sweater", "tops", "89.95", "38.00"],
  ["Débardeur", "Tank top", "tops", "18.00", "6.50"],
  ["Chandail à capuchon", "Hoodie", "tops", "64.99", "27.00"],
  ["Blouse fleurie", "Floral blouse", "tops", "49.50", "19.00"],
  ["Polo piqué", "Piqué polo", "tops", "39.99", "15.00"],
  ["Camisole de soie", "Silk camisole", "tops", "72.72727", "30.00"],
  ["Jean droit", "Straight jeans", "bottoms", "79.99", "32.00"],
  ["Pantalon chino", "Chino trousers", "bottoms", "69.00", "27.00"],
  ["Jupe plissée", "Pleated skirt", "bottoms", "54.54545", "21.00"],
  ["Short de lin", "Linen shorts", "bottoms", "44.99", "17.00"],
  ["Legging", "Leggings", "bottoms", "34.00", "12.00"],
  ["Salopette", "Overalls", "bottoms", "99.00", "41.00"],
  ["Pantalon cargo", "Cargo pants", "bottoms", "74.50", "29.00"],
  ["Tuque en laine", "Wool beanie", "accessories", "29.99", "10.00"],
  ["Foulard", "Scarf", "accessories", "34.95", "12.50"],
  ["Ceinture en cuir", "Leather belt", "accessories", "45.00", "17.00"],
  ["Sac fourre-tout", "Tote bag", "accessories", "38.00", "14.00"],
  ["Gants en laine", "Wool gloves", "accessories", "27.27273", "9.50"],
  ["Chaussettes (3 paires)", "Socks (3 pairs)", "accessories", "19.99", "6.00"],
  ["Casquette", "Cap", "accessories", "25.00", "8.75"],
  ["Lunettes de soleil", "Sunglasses", "accessories", "59.99", "20.00"],
  ["Roman : Le Fleuve", "Novel: The River", "books", "24.95", "14.97"],
  ["Guide des plantes", "Plant guide", "books", "32.00", "19.20"],
  ["Livre de recettes", "Cookbook", "books", "39.95", "23.97"],
  ["Bande dessinée", "Comic book", "books", "18.18182", "10.90"],
  ["Poésie : Neiges", "Poetry: Snows", "books", "9.09091", "4.50"],
  ["Atlas du Québec", "Atlas of Quebec", "books", "45.00", "27.00"],
  ["Livre jeunesse", "Children's book", "books", "14.99", "8.99"],
  ["Bougie parfumée", "Scented candle", "home", "22.00", "7.70"],
  ["Tasse en grès", "Stoneware mug", "home", "16.50", "5.50"],
  ["Coussin en lin", "Linen cushion", "home", "42.00", "16.00"],
  ["Jeté de laine", "Wool throw", "home", "119.00", "52.00"],
  ["Vase en céramique", "Ceramic vase", "home", "48.00", "19.00"],
  ["Planche à découper", "Cutting board", "home", "36.36364", "14.00"],
  ["Linges à vaisselle (2)", "Tea towels (2)", "home", "12.99", "4.00"],
  ["Théière", "Teapot", "home", "54.00", "22.00"],
];

/** [first, last, company, on-account limit in dollars or null] */
export const CUSTOMERS_CA: readonly (readonly [string, string, string | null, number | null])[] = [
  ["Julie", "Tremblay", "Café Brûlerie Saint-Denis", 2000],
  ["Marc", "Gagnon", "Atelier Boréal inc.", 5000],
  ["Sophie", "Roy", "École Les Érables", 3000],
  ["Luc", "Côté", "Hôtel du Vieux-Port", 4000],
  ["Émilie", "Bouchard", null, 500],
  ["Mathieu", "Lavoie", null, null],
  ["Chloé", "Fortin", null, 800],
  ["Olivier", "Bélanger", null, null],
  ["Camille", "Pelletier", null, null],
  ["Gabriel", "Morin", null, null],
  ["Léa", "Girard", null, null],
  ["Thomas", "Lefebvre", null, null],
];

export const CUSTOMERS_US: readonly (readonly [string, string, string | null, number | null])[] = [
  ["Dana", "Whitfield", "Greenpoint Coffee Co.", 2500],
  ["Sam", "Okafor", "Bushwick Studio LLC", 4000],
  ["Maria", "Alvarez", null, 600],
  ["Jordan", "Kim", null, null],
  ["Priya", "Shah", null, null],
  ["Ethan", "Brooks", null, null],
];

/** [name, description, contact first, last, category it supplies] */
export const SUPPLIERS_CA: readonly (readonly [string, string, string, string, CategoryKey[]])[] = [
  ["Textiles Laurentides", "Vêtements", "Annie", "Lapointe", ["tops", "bottoms"]],
  ["Éditions du Fleuve", "Livres", "Pierre", "Dubé", ["books"]],
  ["Maison Boréale", "Articles de maison", "Nathalie", "Caron", ["home"]],
  ["Accessoires Nord", "Accessoires", "Kevin", "Ouellet", ["accessories"]],
];

export const SUPPLIERS_US: readonly (readonly [string, string, string, string, CategoryKey[]])[] = [
  ["Hudson Apparel", "Clothing", "Rachel", "Green", ["tops", "bottoms", "accessories"]],
  ["Empire Books", "Books", "Ted", "Marsh", ["books"]],
  ["Catskill Home Goods", "Home", "Nina", "Patel", ["home"]],
];
