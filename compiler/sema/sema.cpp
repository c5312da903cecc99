// The sema pipeline. Each pass reports into the diagnostic engine and keeps going, so
// one run finds every independent error; passes skip what an earlier error poisoned.
#include "sema/sema.h"

#include "sema/sema_context.h"

namespace sbcc {

std::optional<PolicyModel> analyze(ast::Policy& policy, DiagnosticEngine& diags, const SemaOptions& options) {
  size_t errors_before = diags.error_count();
  SemaContext ctx{policy, diags, options, {}, {}, {}};
  if (policy.identity) ctx.model.identity = policy.identity->name;

  declare_symbols(ctx);
  build_enums(ctx);
  evaluate_constants(ctx);
  build_tls_and_limits(ctx);
  build_faces(ctx);
  build_networks_and_aliases(ctx);
  build_dispatchers(ctx);
  build_data(ctx);
  check_handlers(ctx);
  check_usage(ctx);

  if (!policy.identity) {
    auto& d = diags.report(DiagKind::MissingIdentity, SourceRange{policy.file, 0, 0}, "the policy has no `sbc` identity");
    d.hint = "add `sbc \"my-sbc/1.0\"` at the top; it becomes the Server and User-Agent header";
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  return std::move(ctx.model);
}

}  // namespace sbcc
