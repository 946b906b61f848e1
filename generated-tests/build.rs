// Generates schemas/ and the test-only schemas in proto/ exactly as a user's build script would.
//
// proto/ uses protovalidate's rules, so `buf/validate/validate.proto` must be on the include
// path, as for any protovalidate user: we take it from the shared corpus beside the checkout.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protovalidate = "../../shared/corpus/protovalidate/protovalidate";
    if !std::path::Path::new(protovalidate)
        .join("buf/validate/validate.proto")
        .exists()
    {
        return Err(format!(
            "{protovalidate}/buf/validate/validate.proto not found: the validation tests need \
             protovalidate's validate.proto (the shared corpus beside the checkout)"
        )
        .into());
    }
    protogen_build::Builder::new()
        .include("../schemas")
        .include("proto")
        .include(protovalidate)
        .bytes([".shop.v1.LineItem.thumbnail"])
        .btree_map([".shop.v1.Order.labels"])
        .type_attribute(".common.v1.Money", "#[derive(PartialOrd)]")
        .field_attribute(
            ".shop.v1.Order.note",
            "#[doc = \"field attribute from build.rs\"]",
        )
        // Tenant schemas (JSON), numbered by the lock files beside them.
        .tenant_schema("../schemas/tenants")
        .compile(&["../schemas", "proto"])?;
    Ok(())
}
