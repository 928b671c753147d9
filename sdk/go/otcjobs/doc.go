// Read DDM, DDS and DRS asynchronous jobs of Open Telekom Cloud and Huawei Cloud, and gate deployments on them.
package otcjobs
