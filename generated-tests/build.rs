// Generates schemas/ exactly as a user's build script would.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    protogen_build::Builder::new()
        .include("../schemas")
        .bytes([".shop.v1.LineItem.thumbnail"])
        .btree_map([".shop.v1.Order.labels"])
        .type_attribute(".common.v1.Money", "#[derive(PartialOrd)]")
        .field_attribute(
            ".shop.v1.Order.note",
            "#[doc = \"field attribute from build.rs\"]",
        )
        // Tenant schemas (JSON), numbered by the lock files beside them.
        .tenant_schema("../schemas/tenants")
        .compile(&["../schemas"])?;
    Ok(())
}
