//! Every engine gives the same answer as atom on the generated workload.

use atom_peers::{atom_context, atom_decides, cedar::CedarPeer, rego, workload};

#[test]
fn cedar_and_rego_agree_with_atom() {
    let w = workload(1, 3000);
    let table = atom::table::Table::from_bytes(&w.table).unwrap();
    let cedar = CedarPeer::new(&w.model).unwrap();
    let authorizer = cedar_policy::Authorizer::new();
    let data = rego::data(&w.model).unwrap();
    let mut interp = rego::RegoInterpreter::new(&data).unwrap();
    let mut vm = rego::RegoVm::new(&data).unwrap();
    let mut allowed = 0;
    let mut disagreements = Vec::new();
    for r in &w.requests {
        let expected = atom_decides(&table, r, &atom_context(r));
        allowed += usize::from(expected);
        let c = cedar.decide(&authorizer, &cedar.request(r));
        let input = rego::input(r);
        let i = interp.decide(&input);
        let v = vm.decide(&input);
        if (c, i, v) != (expected, expected, expected) {
            disagreements.push(format!(
                "{r:?}: atom {expected}, cedar {c}, rego {i}, rvm {v}"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} disagree:\n{}",
        disagreements.len(),
        w.requests.len(),
        disagreements
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        allowed * 4 >= w.requests.len(),
        "only {allowed} of {} allowed",
        w.requests.len()
    );
    eprintln!(
        "{} requests, {allowed} allowed, all engines agree",
        w.requests.len()
    );
}
