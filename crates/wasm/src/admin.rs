//! The administration methods of `Client` (cargo feature `admin`, the `vmbackup/admin` entry of the npm package):
//! create, update and delete policies, rules and schedules, assign VMs to policies, read rules and schedules.
//!
//! Everyday use (session, VMs, backups, tasks, back up, restore and its targets, reading policies for their rules,
//! task tracking, errors) stays in the main entry, which is built without this feature to stay small.

use js_sys::Promise;
use vmbackup_core::domain::{Policy, Ref, Rule, Schedule};
use vmbackup_core::error::ApiError;
use vmbackup_core::storware::inventory::UsableBackupDestinations;
use vmbackup_core::storware::policies::{
    AssignVms, CreatePolicy, CreateRule, DeletePolicy, DeleteRule, GetPolicy, GetRule, UpdatePolicy, UpdateRule,
};
use vmbackup_core::storware::schedules::{CreateSchedule, DeleteSchedule, GetSchedule, UpdateSchedule};
use vmbackup_core::validation;
use wasm_bindgen::prelude::*;

use crate::client::{options_arg, promise, rejected, WasmClient};
use crate::error::VmbackupError;
use crate::json::{from_js, string_arg, strings_arg};
use crate::options::{ListBackupDestinationsOptions, ListPoliciesOptions, ListSchedulesOptions};

#[wasm_bindgen(js_class = Client)]
impl WasmClient {
    /// VM backup policies (`{ extended: true }` adds each policy's rules).
    #[wasm_bindgen(js_name = listPolicies, unchecked_return_type = "Promise<Page<Policy>>")]
    pub fn list_policies(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListPoliciesOptions")] options: JsValue,
    ) -> Promise {
        self.call(options_arg::<ListPoliciesOptions>(&options).and_then(ListPoliciesOptions::operation))
    }

    /// Backup destinations (file system, S3, …).
    #[wasm_bindgen(js_name = listBackupDestinations, unchecked_return_type = "Promise<Page<BackupDestination>>")]
    pub fn list_backup_destinations(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListBackupDestinationsOptions")] options: JsValue,
    ) -> Promise {
        let operation =
            options_arg::<ListBackupDestinationsOptions>(&options).and_then(ListBackupDestinationsOptions::operation);
        self.call(operation)
    }

    /// The destinations a backup of all the given VMs can go to.
    #[wasm_bindgen(js_name = usableBackupDestinations, unchecked_return_type = "Promise<Page<BackupDestination>>")]
    pub fn usable_backup_destinations(
        &self,
        #[wasm_bindgen(js_name = vmIds, unchecked_param_type = "string[]")] vm_ids: JsValue,
    ) -> Promise {
        self.call(
            strings_arg(&vm_ids, "vmIds")
                .map(|ids| UsableBackupDestinations::new(ids.into_iter().map(Ref::id).collect())),
        )
    }

    /// Creates a policy (validated first).
    #[wasm_bindgen(js_name = createPolicy, unchecked_return_type = "Promise<Policy>")]
    pub fn create_policy(&self, #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> Promise {
        self.call(checked_policy(&policy).map(CreatePolicy::new))
    }

    /// Saves a policy (validated first; it needs its `id`). Server fields it does not model are sent back.
    #[wasm_bindgen(js_name = updatePolicy, unchecked_return_type = "Promise<Policy>")]
    pub fn update_policy(&self, #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> Promise {
        self.call(checked_policy(&policy).and_then(|p| Ok(UpdatePolicy::new(p)?)))
    }

    /// Deletes a policy.
    #[wasm_bindgen(js_name = deletePolicy, unchecked_return_type = "Promise<void>")]
    pub fn delete_policy(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(DeletePolicy::new))
    }

    /// Adds VMs to a policy (reads the policy, then saves it with the VMs added); resolves with the saved policy.
    #[wasm_bindgen(js_name = assignVms, unchecked_return_type = "Promise<Policy>")]
    pub fn assign_vms(
        &self,
        #[wasm_bindgen(js_name = policyId, unchecked_param_type = "string")] policy_id: JsValue,
        #[wasm_bindgen(js_name = vmIds, unchecked_param_type = "string[]")] vm_ids: JsValue,
    ) -> Promise {
        self.change_policy_vms(policy_id, vm_ids, AssignVms::assign)
    }

    /// Removes VMs from a policy; resolves with the saved policy.
    #[wasm_bindgen(js_name = unassignVms, unchecked_return_type = "Promise<Policy>")]
    pub fn unassign_vms(
        &self,
        #[wasm_bindgen(js_name = policyId, unchecked_param_type = "string")] policy_id: JsValue,
        #[wasm_bindgen(js_name = vmIds, unchecked_param_type = "string[]")] vm_ids: JsValue,
    ) -> Promise {
        self.change_policy_vms(policy_id, vm_ids, AssignVms::unassign)
    }

    /// One rule of a policy.
    #[wasm_bindgen(js_name = getRule, unchecked_return_type = "Promise<Rule>")]
    pub fn get_rule(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetRule::new))
    }

    /// Adds a rule to a policy (validated first).
    #[wasm_bindgen(js_name = createRule, unchecked_return_type = "Promise<Rule>")]
    pub fn create_rule(
        &self,
        #[wasm_bindgen(js_name = policyId, unchecked_param_type = "string")] policy_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Rule")] rule: JsValue,
    ) -> Promise {
        let operation = string_arg(&policy_id, "policyId")
            .and_then(|policy| checked_rule(&rule).map(|rule| CreateRule::new(Ref::id(policy), rule)));
        self.call(operation)
    }

    /// Saves a rule (validated first; it needs its `id`).
    #[wasm_bindgen(js_name = updateRule, unchecked_return_type = "Promise<Rule>")]
    pub fn update_rule(&self, #[wasm_bindgen(unchecked_param_type = "Rule")] rule: JsValue) -> Promise {
        self.call(checked_rule(&rule).and_then(|r| Ok(UpdateRule::new(r)?)))
    }

    /// Deletes a rule.
    #[wasm_bindgen(js_name = deleteRule, unchecked_return_type = "Promise<void>")]
    pub fn delete_rule(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(DeleteRule::new))
    }

    // ---- Schedules ------------------------------------------------------------------------------------------

    /// Schedules (times in UTC as the server keeps them: see `scheduleFromServer`).
    #[wasm_bindgen(js_name = listSchedules, unchecked_return_type = "Promise<Page<Schedule>>")]
    pub fn list_schedules(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListSchedulesOptions")] options: JsValue,
    ) -> Promise {
        self.call(options_arg::<ListSchedulesOptions>(&options).and_then(ListSchedulesOptions::operation))
    }

    /// One schedule.
    #[wasm_bindgen(js_name = getSchedule, unchecked_return_type = "Promise<Schedule>")]
    pub fn get_schedule(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetSchedule::new))
    }

    /// Creates a schedule (validated first; see `scheduleToServer` for its UTC fields).
    #[wasm_bindgen(js_name = createSchedule, unchecked_return_type = "Promise<Schedule>")]
    pub fn create_schedule(&self, #[wasm_bindgen(unchecked_param_type = "Schedule")] schedule: JsValue) -> Promise {
        self.call(checked_schedule(&schedule).map(CreateSchedule::new))
    }

    /// Saves a schedule (validated first; it needs its `id`).
    #[wasm_bindgen(js_name = updateSchedule, unchecked_return_type = "Promise<Schedule>")]
    pub fn update_schedule(&self, #[wasm_bindgen(unchecked_param_type = "Schedule")] schedule: JsValue) -> Promise {
        self.call(checked_schedule(&schedule).and_then(|s| Ok(UpdateSchedule::new(s)?)))
    }

    /// Deletes a schedule.
    #[wasm_bindgen(js_name = deleteSchedule, unchecked_return_type = "Promise<void>")]
    pub fn delete_schedule(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(DeleteSchedule::new))
    }
}

impl WasmClient {
    fn change_policy_vms(
        &self,
        policy_id: JsValue,
        vm_ids: JsValue,
        change: fn(Policy, &[Ref]) -> Result<AssignVms, ApiError>,
    ) -> Promise {
        let arguments = string_arg(&policy_id, "policyId").and_then(|p| Ok((p, strings_arg(&vm_ids, "vmIds")?)));
        let (policy_id, vm_ids) = match arguments {
            Ok(arguments) => arguments,
            Err(error) => return rejected(error),
        };
        let client = self.client();
        promise(async move {
            let policy = client.call(&GetPolicy::new(policy_id)).await?;
            let vms: Vec<Ref> = vm_ids.into_iter().map(Ref::id).collect();
            Ok(client.call(&change(policy, &vms)?).await?)
        })
    }
}

fn checked_policy(policy: &JsValue) -> Result<Policy, VmbackupError> {
    let policy: Policy = from_js(policy, "policy")?;
    validation::validate_policy(&policy)?;
    Ok(policy)
}

fn checked_rule(rule: &JsValue) -> Result<Rule, VmbackupError> {
    let rule: Rule = from_js(rule, "rule")?;
    validation::validate_rule(&rule)?;
    Ok(rule)
}

fn checked_schedule(schedule: &JsValue) -> Result<Schedule, VmbackupError> {
    let schedule: Schedule = from_js(schedule, "schedule")?;
    validation::validate_schedule(&schedule)?;
    Ok(schedule)
}
